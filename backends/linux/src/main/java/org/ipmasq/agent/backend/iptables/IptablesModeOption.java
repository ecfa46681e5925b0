package org.ipmasq.agent.backend.iptables;

/** Which iptables flavour to drive: the host's (auto) or a forced one. */
public enum IptablesModeOption {
    AUTO, LEGACY, NFT;

    /**
     * The option named {@code auto}, {@code legacy} or {@code nft}.
     *
     * @throws IllegalArgumentException for any other word, for the command line to prefix with its flag
     */
    public static IptablesModeOption parse(String text) {
        return switch (text) {
            case "auto" -> AUTO;
            case "legacy" -> LEGACY;
            case "nft" -> NFT;
            default -> throw new IllegalArgumentException("\"" + text + "\" is not one of auto, legacy, nft");
        };
    }
}
