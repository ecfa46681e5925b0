package org.ipmasq.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** vfork is asked for only where the JDK takes it quietly, and never over the operator's choice. */
class ProcessLaunchTest {

    private String before;

    @BeforeEach
    void save() {
        before = System.getProperty(ProcessLaunch.PROPERTY);
    }

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(ProcessLaunch.PROPERTY);
        } else {
            System.setProperty(ProcessLaunch.PROPERTY, before);
        }
    }

    @Test
    void vforkUpToJava21Only() {
        System.clearProperty(ProcessLaunch.PROPERTY);
        ProcessLaunch.preferVfork();
        String expected = Runtime.version().feature() <= ProcessLaunch.LAST_QUIET_VFORK ? "VFORK" : null;
        assertEquals(expected, System.getProperty(ProcessLaunch.PROPERTY), "on Java " + Runtime.version());
    }

    @Test
    void theOperatorsSettingWins() {
        System.setProperty(ProcessLaunch.PROPERTY, "FORK");
        ProcessLaunch.preferVfork();
        assertEquals("FORK", System.getProperty(ProcessLaunch.PROPERTY));
    }
}
