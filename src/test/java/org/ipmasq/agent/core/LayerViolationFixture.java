package org.ipmasq.agent.core;

import org.ipmasq.agent.cli.AgentOptions;

/**
 * Deliberately breaks the layer rules (core reaching up to cli), so ArchitectureTest can show
 * that its rules fail and name the class. Test code only; never used by the agent.
 */
public final class LayerViolationFixture {

    private LayerViolationFixture() {
    }

    static boolean wouldReadTheCommandLine() throws Exception {
        return AgentOptions.builder().build().enableIpv6();
    }
}
