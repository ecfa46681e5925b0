package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.core.IpFamily;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where CNI confs keep OutBoundNAT exception lists, found in any key casing; edits that keep the text. */
class CniConfTest {

    static final WantedExceptions WANTED = WantedExceptions.of(Policies.ipv4(List.of("10.0.0.0/8"), List.of()));

    static String rewrite(String conf) throws CniConfException {
        return CniConf.parse(conf).rewrite(WANTED).map(CniConf.Rewrite::text).orElse(conf);
    }

    @Test
    void keysMatchInAnyCasingAndKeepTheirSpelling() throws Exception {
        String conf = "{\"Delegate\": {\"POLICIES\": [{\"Name\": \"EndpointPolicy\", \"VALUE\": "
                + "{\"Type\": \"OutBoundNAT\", \"exceptionlist\": [\"11.0.0.0/8\"]}}]}}";

        assertEquals("{\"Delegate\": {\"POLICIES\": [{\"Name\": \"EndpointPolicy\", \"VALUE\": "
                + "{\"Type\": \"OutBoundNAT\", \"exceptionlist\": [\"10.0.0.0/8\", \"169.254.0.0/16\"]}}]}}", rewrite(conf));
    }

    @Test
    void aV2PolicyUnderPoliciesIsReadInTheV2Form() throws Exception {
        String conf = "{\"policies\": [{\"name\": \"EndpointPolicy\", \"value\": {\"Type\": \"OutBoundNAT\", "
                + "\"Settings\": {\"Exceptions\": []}}}]}";

        assertEquals("{\"policies\": [{\"name\": \"EndpointPolicy\", \"value\": {\"Type\": \"OutBoundNAT\", "
                + "\"Settings\": {\"Exceptions\": [\"10.0.0.0/8\", \"169.254.0.0/16\"]}}}]}", rewrite(conf));
    }

    @Test
    void aV2PolicyWithoutSettingsGetsThem() throws Exception {
        assertEquals("{\"HcnPolicyArgs\": [{\"Type\": \"OutBoundNAT\", \"Settings\": "
                + "{\"Exceptions\": [\"10.0.0.0/8\", \"169.254.0.0/16\"]}}]}",
                rewrite("{\"HcnPolicyArgs\": [{\"Type\": \"OutBoundNAT\"}]}"));
    }

    @Test
    void aNullListIsReplaced() throws Exception {
        assertEquals("{\"policies\":[{\"value\":{\"Type\":\"OutBoundNAT\",\"ExceptionList\":[\"10.0.0.0/8\", "
                + "\"169.254.0.0/16\"]}}]}",
                rewrite("{\"policies\":[{\"value\":{\"Type\":\"OutBoundNAT\",\"ExceptionList\":null}}]}"));
    }

    @Test
    void otherPolicyTypesAndOtherPlacesAreNotLists() throws Exception {
        CniConf conf = CniConf.parse("{\"policies\": [{\"value\": {\"Type\": \"ROUTE\", \"ExceptionList\": []}}], "
                + "\"runtimeConfig\": {\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": []}}]}, "
                + "\"HcnPolicyArgs\": [{\"Type\": \"outboundnat\"}]}");

        assertEquals(List.of(), conf.lists());
    }

    @Test
    void anIpv6ListIsLeftAloneWithoutIpv6() throws Exception {
        String conf = "{\"HcnPolicyArgs\": [{\"Type\": \"OutBoundNAT\", \"Settings\": {\"Exceptions\": [\"fd00::/8\"], "
                + "\"Flags\": 2}}]}";

        assertEquals(IpFamily.IPV6, CniConf.parse(conf).lists().get(0).family());
        assertEquals(Optional.empty(), CniConf.parse(conf).rewrite(WANTED));
    }

    @Test
    void sameListInAnotherOrderOrSpellingIsAlreadyRight() throws Exception {
        String conf = "{\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", "
                + "\"ExceptionList\": [\"169.254.0.0/16\", \"10.0.0.0/8\", \"010.0.0.0/8\"]}}]}";

        // "010.0.0.0/8" is not a CIDR (no leading zeros), so it is compared as written and differs.
        assertTrue(CniConf.parse(conf).rewrite(WANTED).isPresent());
        assertEquals(Optional.empty(), CniConf.parse(
                "{\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", "
                        + "\"ExceptionList\": [\"169.254.0.0/16\", \"10.0.0.0/8\", \"10.0.0.0/8\"]}}]}").rewrite(WANTED));
    }

    @Test
    void unreadableDocumentsSayWhy() {
        assertEquals("not a CNI conf: the top level is not a JSON object",
                assertThrows(CniConfException.class, () -> CniConf.parse("[1]")).getMessage());
        assertEquals("the OutBoundNAT exception list at /policies/0/value/ExceptionList is not a list of strings",
                assertThrows(CniConfException.class, () -> CniConf.parse(
                        "{\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [1]}}]}")).getMessage());
        assertEquals("OutBoundNAT Settings at /HcnPolicyArgs/0 is not a JSON object",
                assertThrows(CniConfException.class, () -> CniConf.parse(
                        "{\"HcnPolicyArgs\": [{\"Type\": \"OutBoundNAT\", \"Settings\": \"x\"}]}")).getMessage());
        assertEquals("not valid JSON: a second value after the document at line 1, column 4",
                assertThrows(CniConfException.class, () -> CniConf.parse("{} {}")).getMessage());
        assertEquals("not valid JSON: the file is empty",
                assertThrows(CniConfException.class, () -> CniConf.parse(" \n")).getMessage());
    }

    /** What Go's encoding/json refuses stays refused, each with its reason. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"a\": 1,}|not valid JSON: Unexpected character ('}' (code 125)): was expecting double-quote to start field name",
        "{\"a\": 01}|not valid JSON: Invalid numeric value: Leading zeroes not allowed",
        "{'a': 1}|not valid JSON: Unexpected character (''' (code 39)): was expecting double-quote to start field name",
        "{\"a\": 1} // note|not valid JSON: Unexpected character ('/' (code 47)): maybe a (non-standard) comment?"})
    void whatGoRefusesIsRefused(String text, String reasonStart) {
        String reason = assertThrows(CniConfException.class, () -> CniConf.parse(text)).getMessage();
        assertTrue(reason.startsWith(reasonStart), reason);
    }

    @Test
    void aNonBreakingSpaceAsIndentationIsRefusedAndNamed() {
        String conf = "{\n\u00a0\u00a0\"name\": \"cbr0\"\n}";

        assertEquals("not valid JSON: character U+00A0 (NO-BREAK SPACE) at line 2, column 1 is not JSON whitespace: "
                + "JSON allows only space, tab, CR and LF between values, and Go's encoding/json (which the CNI plugins "
                + "use) refuses the file too", assertThrows(CniConfException.class, () -> CniConf.parse(conf)).getMessage());
    }

    /** Calico's Windows conf as rke2 renders it, with "log_level" given twice: Go takes the last and so do we. */
    @Test
    void aRepeatedKeyIsAcceptedAndKeptAsWritten() throws Exception {
        String conf = "{\"type\": \"calico\", \"log_level\": \"info\", \"log_level\": \"debug\", \"policies\": [{\"Name\": "
                + "\"EndpointPolicy\", \"Value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [\"10.43.0.0/16\"]}}]}";

        assertEquals(conf.replace("[\"10.43.0.0/16\"]", "[\"10.0.0.0/8\", \"169.254.0.0/16\"]"), rewrite(conf));
    }

    @Test
    void ofARepeatedListTheLastOccurrenceInAnyCasingIsReadAndRewritten() throws Exception {
        String conf = "{\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [\"1.0.0.0/8\"], "
                + "\"exceptionlist\": [\"11.0.0.0/8\"]}}]}";

        assertEquals(List.of("11.0.0.0/8"), CniConf.parse(conf).lists().get(0).current());
        assertEquals("{\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [\"1.0.0.0/8\"], "
                + "\"exceptionlist\": [\"10.0.0.0/8\", \"169.254.0.0/16\"]}}]}", rewrite(conf));
    }

    @Test
    void ofARepeatedPolicyListOnlyTheOneThePluginReadsCounts() throws Exception {
        String conf = "{\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [\"1.0.0.0/8\"]}}], "
                + "\"Policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [\"11.0.0.0/8\"]}}]}";

        assertEquals(1, CniConf.parse(conf).lists().size());
        assertEquals("{\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [\"1.0.0.0/8\"]}}], "
                + "\"Policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [\"10.0.0.0/8\", "
                + "\"169.254.0.0/16\"]}}]}", rewrite(conf));
    }

    @Test
    void aRepeatedTypeDecidesByItsLastValue() throws Exception {
        assertEquals(List.of(), CniConf.parse("{\"HcnPolicyArgs\": [{\"Type\": \"OutBoundNAT\", \"Type\": \"SDNRoute\", "
                + "\"Settings\": {\"Exceptions\": []}}]}").lists());
        assertEquals(1, CniConf.parse("{\"HcnPolicyArgs\": [{\"Type\": \"SDNRoute\", \"type\": \"OutBoundNAT\", "
                + "\"Settings\": {\"Exceptions\": []}}]}").lists().size());
    }

    /** The sdnbridge dual-stack example: the IPv6 policy has a VirtualIP and IPv6 addresses but no Flags. */
    @Test
    void theFamilyComesFromTheFlagElseAnIpv6VirtualIpElseTheAddresses() throws Exception {
        String conf = "{\"AdditionalArgs\": ["
                + nat("{\"Exceptions\": [\"192.168.0.0/16\"]}") + ", "
                + nat("{\"VirtualIP\": \"fc00::123\", \"Destinations\": [\"fd01::192\"], \"Exceptions\": [\"fd03::100/120\"]}") + ", "
                + nat("{\"VirtualIP\": \"fc00::124\", \"Exceptions\": [\"10.0.0.0/8\"]}") + ", "
                + nat("{\"Exceptions\": [\"fd05::/64\"]}") + ", "
                + nat("{\"Destinations\": [\"fd01::1\"]}") + ", "
                + nat("{\"Flags\": 2, \"Exceptions\": [\"10.0.0.0/8\"]}") + ", "
                + "{\"Name\": \"EndpointPolicy\", \"Value\": {\"Type\": \"OutBoundNAT\", \"VIP\": \"fd00::1\", \"ExceptionList\": []}}, "
                + nat("{\"VirtualIP\": \"10.0.0.4\", \"Exceptions\": []}") + ", "
                + nat("{\"Flags\": 1, \"Exceptions\": []}") + "]}";

        assertEquals(List.of(IpFamily.IPV4, IpFamily.IPV6, IpFamily.IPV6, IpFamily.IPV6, IpFamily.IPV6, IpFamily.IPV6,
                IpFamily.IPV6, IpFamily.IPV4, IpFamily.IPV4),
                CniConf.parse(conf).lists().stream().map(CniConf.NatList::family).toList());
    }

    private static String nat(String settings) {
        return "{\"Name\": \"EndpointPolicy\", \"Value\": {\"Type\": \"OutBoundNAT\", \"Settings\": " + settings + "}}";
    }

    @Test
    void addressesOfBothFamiliesWithNothingElseToTellAreNotGuessed() {
        String conf = "{\"HcnPolicyArgs\": [{\"Type\": \"OutBoundNAT\", \"Settings\": {\"Exceptions\": [\"10.0.0.0/8\", "
                + "\"fd00::/8\"]}}]}";

        assertEquals("the OutBoundNAT at /HcnPolicyArgs/0: " + NatFamily.CONTRADICTION,
                assertThrows(CniConfException.class, () -> CniConf.parse(conf)).getMessage());
    }

    @Test
    void anIpv6PolicyWithoutTheFlagGetsTheIpv6ListAndIsLeftExactlyAsItIsWithoutIpv6() throws Exception {
        String conf = "{\"HcnPolicyArgs\": [{\"Type\": \"OutBoundNAT\", \"Settings\": {\"Exceptions\": [\"10.244.0.0/16\"]}}, "
                + "{\"Type\": \"OutBoundNAT\", \"Settings\": {\"VirtualIP\": \"fc00::123\", \"Exceptions\": [\"fd03::100/120\"]}}]}";
        WantedExceptions dual = WantedExceptions.of(Policies.dualStack(List.of("10.0.0.0/8"), List.of("fd00::/8")));

        assertEquals(conf.replace("[\"10.244.0.0/16\"]", "[\"10.0.0.0/8\", \"169.254.0.0/16\"]")
                .replace("[\"fd03::100/120\"]", "[\"fd00::/8\", \"fe80::/10\"]"),
                CniConf.parse(conf).rewrite(dual).orElseThrow().text());
        assertEquals(conf.replace("[\"10.244.0.0/16\"]", "[\"10.0.0.0/8\", \"169.254.0.0/16\"]"), rewrite(conf));
    }
}
