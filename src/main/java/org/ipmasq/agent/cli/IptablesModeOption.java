package org.ipmasq.agent.cli;

/** Which iptables flavour to drive: the host's (auto) or a forced one. */
public enum IptablesModeOption {
    AUTO, LEGACY, NFT;

    static IptablesModeOption parse(String text) throws UsageException {
        return switch (text) {
            case "auto" -> AUTO;
            case "legacy" -> LEGACY;
            case "nft" -> NFT;
            default -> throw new UsageException("--iptables-mode: \"" + text + "\" is not one of auto, legacy, nft");
        };
    }
}
