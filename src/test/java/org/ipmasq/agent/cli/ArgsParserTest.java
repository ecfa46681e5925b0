package org.ipmasq.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.ipmasq.agent.backend.iptables.IptablesModeOption;
import org.ipmasq.agent.core.FlagKind;
import org.ipmasq.agent.core.PortRange;
import org.ipmasq.agent.kube.ConfigMapRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArgsParserTest {

    private static String error(String... args) {
        return assertThrows(UsageException.class, () -> ArgsParser.parse(args)).getMessage();
    }

    @Test
    void noFlagsGiveTheOriginalsDefaults() throws Exception {
        AgentOptions o = ArgsParser.parse();
        assertEquals(RunMode.DAEMON, o.runMode());
        assertEquals("IP-MASQ-AGENT", o.masqChain());
        assertFalse(o.nomasqAllReservedRanges());
        assertFalse(o.enableIpv6());
        assertTrue(o.randomFully());
        assertTrue(o.toPorts().isEmpty());
        assertEquals(Path.of("/etc/config/ip-masq-agent"), o.configPath());
        assertEquals(IptablesModeOption.AUTO, o.iptablesMode());
        assertFalse(o.dryRun());
        assertEquals(OptionalInt.empty(), o.healthPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {"--masq-chain=MY-CHAIN", "--masq-chain MY-CHAIN", "-masq-chain=MY-CHAIN", "-masq-chain MY-CHAIN"})
    void valueFlagsTakeEitherForm(String line) throws Exception {
        assertEquals("MY-CHAIN", ArgsParser.parse(line.split(" ")).masqChain());
    }

    @ParameterizedTest
    @CsvSource({
        "--enable-ipv6, true", "--enable-ipv6=true, true", "--enable-ipv6=false, false", "--enable-ipv6 true, true",
        "--enable-ipv6 false, false", "--enable-ipv6=1, true", "--enable-ipv6=F, false", "-enable-ipv6, true"})
    void booleanFlagsTakeEveryGoForm(String line, boolean expected) throws Exception {
        assertEquals(expected, ArgsParser.parse(line.split(" ")).enableIpv6());
    }

    @Test
    void eachBooleanOfTheOriginalParses() throws Exception {
        AgentOptions o = ArgsParser.parse("--nomasq-all-reserved-ranges", "--random-fully=false", "--enable-ipv6");
        assertTrue(o.nomasqAllReservedRanges());
        assertFalse(o.randomFully());
        assertTrue(o.enableIpv6());
    }

    @Test
    void toPortsParsesRangesAndSinglePorts() throws Exception {
        AgentOptions o = ArgsParser.parse("--to-ports", "1024-29999,32768-65535,80");
        assertEquals(List.of(new PortRange(1024, 29999), new PortRange(32768, 65535), new PortRange(80, 80)),
                o.toPorts().ranges());
        assertEquals("80", o.toPorts().ranges().get(2).text());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--to-ports=70000|--to-ports: port 70000 is out of range 1-65535",
        "--to-ports=0|--to-ports: port 0 is out of range 1-65535",
        "--to-ports=2000-1000|--to-ports: range \"2000-1000\" ends before it starts",
        "--to-ports=1-2-3|--to-ports: \"1-2-3\" is not a port or a range like 1024-29999",
        "--to-ports=abc|--to-ports: \"abc\" is not a port or a range like 1024-29999",
        "--to-ports=1024,|--to-ports: \"\" is not a port or a range like 1024-29999",
        "--masq-chain=IP MASQ|--masq-chain: \"IP MASQ\" contains whitespace, a quote or a non-ASCII character, which iptables does not allow",
        "--masq-chain=ABCDEFGHIJKLMNOPQRSTUVWXYZ123|--masq-chain: \"ABCDEFGHIJKLMNOPQRSTUVWXYZ123\" is 29 characters, iptables allows at most 28",
        "--masq-chain=|--masq-chain: the chain name is empty",
        "--masq-chain=POSTROUTING|--masq-chain: \"POSTROUTING\" is a built-in chain or target name",
        "--masq-chain=-X|--masq-chain: \"-X\" must not start with '-' or '!'",
        "--no-such-flag|unknown flag --no-such-flag (see --help)",
        "--enable-ipv6=maybe|--enable-ipv6: \"maybe\" is not a boolean (true or false)",
        "--iptables-mode=iptables|--iptables-mode: \"iptables\" is not one of auto, legacy, nft",
        "--health-port=0|--health-port: \"0\" is not a port in 1-65535",
        "--config=|--config: the path is empty",
        "--log-format=xml|--log-format: \"xml\" is not one of text, json",
        "--config-source=etcd|--config-source: \"etcd\" is not one of auto, api, file",
        "--configmap-name=Bad_Name|--configmap-name: \"Bad_Name\" is not a valid ConfigMap name",
        "--configmap-namespace=kube.system|--configmap-namespace: \"kube.system\" is not a valid namespace name",
        "--configmap-key=a/b|--configmap-key: \"a/b\" is not a valid ConfigMap key",
        "--backend=|--backend: the name is empty (use auto or a backend's name)",
        "stray|unexpected argument \"stray\": this agent takes only flags (see --help)",
    })
    void badValuesStopStartupWithOneClearLine(String arg, String message) {
        assertEquals(message, error(arg));
        assertFalse(message.contains("\n"));
    }

    @Test
    void chainNameOfExactly28CharactersIsAccepted() throws Exception {
        assertEquals("ABCDEFGHIJKLMNOPQRSTUVWXYZ12",
                ArgsParser.parse("--masq-chain=ABCDEFGHIJKLMNOPQRSTUVWXYZ12").masqChain());
    }

    @Test
    void backendDeclaredFlagsAreAcceptedAndHandedOver() throws Exception {
        AgentOptions o = ArgsParser.parse(java.util.Map.of("windows-cni-conf", FlagKind.VALUE, "hns-verbose",
                FlagKind.BOOLEAN), "--windows-cni-conf", "C:\\etc\\cni\\net.d", "--hns-verbose");
        assertEquals(java.util.Map.of("windows-cni-conf", "C:\\etc\\cni\\net.d", "hns-verbose", "true"), o.backendFlags());
        assertEquals("unknown flag --windows-cni-conf (see --help)", error("--windows-cni-conf=x"));
    }

    @Test
    void valueFlagAtTheEndWithoutValueIsAnError() {
        assertEquals("flag --masq-chain needs a value", error("--masq-chain"));
    }

    @Test
    void klogFlagsAreAcceptedAndListedAsIgnored() throws Exception {
        AgentOptions o = ArgsParser.parse("--v=2", "--logtostderr", "-v", "4", "--alsologtostderr=true",
                "--log_dir", "/tmp");
        assertEquals(List.of("--v", "--logtostderr", "--v", "--alsologtostderr", "--log_dir"), o.ignoredFlags());
    }

    @Test
    void modesAndOwnFlags() throws Exception {
        assertEquals(RunMode.SYNC_ONCE, ArgsParser.parse("--sync-once").runMode());
        AgentOptions dry = ArgsParser.parse("--dry-run");
        assertEquals(RunMode.SYNC_ONCE, dry.runMode());
        assertTrue(dry.dryRun());
        AgentOptions cleanupDry = ArgsParser.parse("--cleanup", "--dry-run");
        assertEquals(RunMode.CLEANUP, cleanupDry.runMode());
        assertTrue(cleanupDry.dryRun());
        assertEquals(RunMode.HELP, ArgsParser.parse("-h").runMode());
        assertEquals("--cleanup and --sync-once contradict each other: pick one", error("--cleanup", "--sync-once"));
        assertEquals(Path.of("/tmp/x"), ArgsParser.parse("--config", "/tmp/x").configPath());
        assertEquals(IptablesModeOption.LEGACY, ArgsParser.parse("--iptables-mode=legacy").iptablesMode());
        assertEquals(IptablesModeOption.NFT, ArgsParser.parse("--iptables-mode", "nft").iptablesMode());
        assertEquals(OptionalInt.of(10999), ArgsParser.parse("--health-port=10999").healthPort());
        assertTrue(ArgsParser.parse("--log-format=json").jsonLogs());
        assertFalse(ArgsParser.parse().jsonLogs());
        assertEquals(ConfigSourceMode.FILE, ArgsParser.parse("--config-source", "file").configSource());
        assertEquals(new ConfigMapRef("ops", "masq", "doc"), ArgsParser.parse("--configmap-namespace=ops",
                "--configmap-name=masq", "--configmap-key=doc").configMap());
        assertEquals(ConfigMapRef.DEFAULT, ArgsParser.parse().configMap());
        assertEquals(java.util.Optional.of("node-1"), ArgsParser.parse("--node-name", "node-1").nodeName());
        assertEquals("hns", ArgsParser.parse("--backend=hns").backend());
    }
}
