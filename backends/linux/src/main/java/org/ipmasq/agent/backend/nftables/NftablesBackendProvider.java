package org.ipmasq.agent.backend.nftables;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import org.ipmasq.agent.backend.linux.LinuxHost;
import java.util.Map;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.BackendProvider;
import org.ipmasq.agent.core.MasqBackend;
import org.ipmasq.agent.exec.CommandResult;
import org.ipmasq.agent.exec.CommandRunner;
import org.jboss.logging.Logger;

/** Registers the nftables backend with the core (see META-INF/services). */
public final class NftablesBackendProvider implements BackendProvider<NftablesSettings> {

    /** Our table's name in each family. Fixed, like kube-proxy's: one agent per node owns it. */
    static final String TABLE = "ip-masq-agent";

    private static final Logger LOG = Logger.getLogger(NftablesBackendProvider.class);

    @Override
    public String name() {
        return "nftables";
    }

    /**
     * Linux with nft and without any iptables: where iptables exists, auto keeps choosing it, for
     * fidelity with the original agent; --backend=nftables picks this one anywhere nft is.
     */
    @Override
    public boolean suitsThisHost(CommandRunner runner) {
        return LinuxHost.isLinux() && runner.exists("nft") && !LinuxHost.hasIptables(runner);
    }

    /** Below iptables (100), so auto only lands here on hosts without iptables. */
    @Override
    public int preference() {
        return 50;
    }

    @Override
    public Class<NftablesSettings> settingsType() {
        return NftablesSettings.class;
    }

    @Override
    public MasqBackend create(NftablesSettings settings, CommandRunner runner) throws BackendException {
        String version = version(runner);
        settings.customIptablesChain().ifPresent(chain -> LOG.warnf(
                "--masq-chain=%s names an iptables chain; the nftables backend owns table ip/ip6 %s instead",
                chain, TABLE));
        Map<String, String> details = new LinkedHashMap<>();
        details.put("nftVersion", version);
        details.put("table", TABLE);
        details.put("randomFully", Boolean.toString(settings.randomFully()));
        return new NftablesBackend(runner, new TableRenderer(TABLE, settings.randomFully(), settings.toPorts()), details);
    }

    /** "v1.0.6" from "nftables v1.0.6 (Lester Gooch #5)"; also proves nft can be run at all. */
    private static String version(CommandRunner runner) throws BackendException {
        try {
            CommandResult result = runner.run(List.of("nft", "--version"), "");
            if (!result.succeeded()) {
                throw new BackendException(result.summary());
            }
            String[] words = result.stdout().strip().split("\\s+");
            return words.length >= 2 ? words[1] : result.stdout().strip();
        } catch (IOException e) {
            throw new BackendException("the nftables backend needs nft: " + e.getMessage(), e);
        }
    }
}
