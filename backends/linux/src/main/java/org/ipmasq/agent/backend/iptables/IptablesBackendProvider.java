package org.ipmasq.agent.backend.iptables;

import org.ipmasq.agent.backend.linux.LinuxHost;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.exec.CommandRunner;
import org.jboss.logging.Logger;

/** Registers the iptables backend with the core (see META-INF/services). */
public final class IptablesBackendProvider implements org.ipmasq.agent.core.BackendProvider<IptablesSettings> {

    private static final Logger LOG = Logger.getLogger(IptablesBackendProvider.class);

    @Override
    public String name() {
        return "iptables";
    }

    /** Linux with some iptables installed. */
    @Override
    public boolean suitsThisHost(CommandRunner runner) {
        return LinuxHost.isLinux() && LinuxHost.hasIptables(runner);
    }

    /** Preferred on Linux wherever iptables exists, for fidelity with the original agent. */
    @Override
    public int preference() {
        return 100;
    }

    @Override
    public Class<IptablesSettings> settingsType() {
        return IptablesSettings.class;
    }

    @Override
    public MasqBackend create(IptablesSettings settings, CommandRunner runner) throws BackendException {
        ModeDetector detector = new ModeDetector(runner);
        ModeDetector.Choice choice = detector.choose(settings.mode());
        ModeDetector.Capabilities capabilities = detector.capabilities(choice.mode());
        boolean randomFully = settings.randomFully() && capabilities.randomFully();
        if (settings.randomFully() && !randomFully) {
            LOG.warn("this iptables does not support --random-fully (needs 1.6.2 or later); MASQUERADE rules go without it");
        }
        LOG.debugf("iptables mode %s (%s)", choice.mode().label(), choice.reason());
        RuleRenderer renderer = new RuleRenderer(settings.chain(), randomFully, settings.toPorts());
        return new IptablesBackend(runner, choice.mode(), choice.reason(), renderer, randomFully, settings.enableIpv6(),
                capabilities.nfTables());
    }
}
