package org.ipmasq.agent.backend.hns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.ipmasq.agent.core.IpFamily;
import org.junit.jupiter.api.Test;

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
        assertEquals("the OutBoundNAT exception list at /policies/0/value is not a list of strings",
                assertThrows(CniConfException.class, () -> CniConf.parse(
                        "{\"policies\": [{\"value\": {\"Type\": \"OutBoundNAT\", \"ExceptionList\": [1]}}]}")).getMessage());
        assertEquals("OutBoundNAT Settings at /HcnPolicyArgs/0 is not a JSON object",
                assertThrows(CniConfException.class, () -> CniConf.parse(
                        "{\"HcnPolicyArgs\": [{\"Type\": \"OutBoundNAT\", \"Settings\": \"x\"}]}")).getMessage());
        assertTrue(assertThrows(CniConfException.class, () -> CniConf.parse("{\"a\": 1, \"a\": 2}")).getMessage()
                .startsWith("not valid JSON: Duplicate field 'a'"), "a duplicate key would make the file ambiguous");
        assertTrue(assertThrows(CniConfException.class, () -> CniConf.parse("{} {}")).getMessage()
                .startsWith("not valid JSON: Trailing token"));
    }
}
