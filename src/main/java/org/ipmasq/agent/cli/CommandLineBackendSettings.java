package org.ipmasq.agent.cli;

import java.util.Optional;
import org.ipmasq.agent.backend.hns.HnsSettings;
import org.ipmasq.agent.backend.iptables.IptablesSettings;
import org.ipmasq.agent.backend.nftables.NftablesSettings;
import org.ipmasq.agent.core.BackendException;
import org.ipmasq.agent.core.BackendSettings;

/**
 * Each backend's settings, built from the command line: the one place that knows both the
 * flags and what every backend takes from them. A new backend adds its case here.
 */
public final class CommandLineBackendSettings implements BackendSettings {

    private final AgentOptions options;

    public CommandLineBackendSettings(AgentOptions options) {
        this.options = options;
    }

    @Override
    public <S> S forBackend(Class<S> type) throws BackendException {
        if (type == IptablesSettings.class) {
            return type.cast(new IptablesSettings(options.masqChain(), options.randomFully(), options.toPorts(),
                    options.enableIpv6(), options.iptablesMode()));
        }
        if (type == NftablesSettings.class) {
            return type.cast(new NftablesSettings(options.randomFully(), options.toPorts(),
                    Optional.of(options.masqChain()).filter(chain -> !AgentOptions.DEFAULT_CHAIN.equals(chain))));
        }
        if (type == HnsSettings.class) {
            return type.cast(HnsSettings.of(options.backendFlags(), options.dryRun(), !options.toPorts().isEmpty()));
        }
        throw new BackendException("the command line has no settings for a backend taking " + type.getName());
    }
}
