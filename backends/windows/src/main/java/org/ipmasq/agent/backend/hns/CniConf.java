package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ipmasq.agent.core.IpFamily;

/**
 * One CNI conf document and the OutBoundNAT exception lists in it, in every form the Windows
 * plugins use (windows-hns.md):
 *
 * <ul>
 *   <li>win-bridge / win-overlay v1: {@code "policies": [{"name": "EndpointPolicy", "value":
 *       {"Type": "OutBoundNAT", "ExceptionList": [...]}}]};
 *   <li>the same with {@code "ApiVersion": 2}: {@code "HcnPolicyArgs": [{"Type": "OutBoundNAT",
 *       "Settings": {"Exceptions": [...]}}]};
 *   <li>Azure CNI: {@code "AdditionalArgs": [{"Name": "EndpointPolicy", "Value": {"Type":
 *       "OutBoundNAT", "Settings": {"Exceptions": [...]}}}]};
 *   <li>any of those inside flannel's {@code "delegate": {...}}, and in each element of a
 *       {@code .conflist}'s {@code "plugins": [...]}.
 * </ul>
 *
 * Keys are matched in any casing (the plugins decode with Go's case-insensitive json). An
 * OutBoundNAT value with a {@code Settings} object is read in the v2 form even under
 * {@code policies}. A list's family follows the policy's {@code Flags} IPv6 bit, as on
 * endpoints. An OutBoundNAT without a list gets one, as an endpoint's empty list would.
 */
final class CniConf {

    private enum Form {
        /** The list exists (possibly as null): replace it. */
        LIST,
        /** v1 policy without a list: add {@code ExceptionList}. */
        ADD_EXCEPTION_LIST,
        /** v2 Settings without a list: add {@code Exceptions}. */
        ADD_EXCEPTIONS,
        /** v2 policy without Settings: add {@code Settings: {Exceptions: [...]}}. */
        ADD_SETTINGS
    }

    /** One exception list found (or to be created) in the document. */
    record NatList(JsonPointer at, IpFamily family, List<String> current, Form form) {

        NatList {
            current = List.copyOf(current);
        }

        JsonTextSplicer.Edit edit(List<String> wanted) {
            return switch (form) {
                case LIST -> new JsonTextSplicer.ReplaceList(at, wanted);
                case ADD_EXCEPTION_LIST -> new JsonTextSplicer.AddMember(at, "ExceptionList", Json.strings(wanted));
                case ADD_EXCEPTIONS -> new JsonTextSplicer.AddMember(at, "Exceptions", Json.strings(wanted));
                case ADD_SETTINGS -> {
                    ObjectNode settings = JsonNodeFactory.instance.objectNode();
                    settings.set("Exceptions", Json.strings(wanted));
                    yield new JsonTextSplicer.AddMember(at, "Settings", settings);
                }
            };
        }
    }

    /** The new text and the distinct lists written into it. */
    record Rewrite(String text, List<List<String>> lists) {
    }

    private final String text;
    private final List<NatList> lists;

    private CniConf(String text, List<NatList> lists) {
        this.text = text;
        this.lists = List.copyOf(lists);
    }

    /** @param text the document without a byte order mark */
    static CniConf parse(String text) throws CniConfException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CniConfException("not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new CniConfException("not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CniConfException("not a CNI conf: the top level is not a JSON object");
        }
        List<NatList> found = new ArrayList<>();
        plugin(root, JsonPointer.empty(), found);
        return new CniConf(text, found);
    }

    List<NatList> lists() {
        return lists;
    }

    /** The document with every managed list set to the wanted one; empty when all are already right. */
    Optional<Rewrite> rewrite(WantedExceptions wanted) throws CniConfException {
        List<JsonTextSplicer.Edit> edits = new ArrayList<>();
        Set<List<String>> written = new LinkedHashSet<>();
        for (NatList list : lists) {
            Optional<List<String>> target = wanted.forFamily(list.family());
            if (target.isPresent() && !ExceptionLists.same(list.current(), target.get())) {
                edits.add(list.edit(target.get()));
                written.add(target.get());
            }
        }
        if (edits.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Rewrite(JsonTextSplicer.apply(text, edits), List.copyOf(written)));
        } catch (IOException | IllegalStateException e) {
            throw new CniConfException("could not rewrite the exception list (" + e.getMessage() + ")", e);
        }
    }

    /** A plugin conf: its own policy lists, then a delegate and any plugins it wraps. */
    private static void plugin(JsonNode conf, JsonPointer at, List<NatList> found) throws CniConfException {
        for (Element e : elements(conf, at, "policies")) {
            Optional<String> valueKey = Json.key(e.node(), "value");
            if (valueKey.isPresent() && OutboundNat.is(e.node().get(valueKey.get()))) {
                policy(e.node().get(valueKey.get()), e.at().appendProperty(valueKey.get()), Form.ADD_EXCEPTION_LIST, found);
            }
        }
        for (Element e : elements(conf, at, "HcnPolicyArgs")) {
            if (OutboundNat.is(e.node())) {
                policy(e.node(), e.at(), Form.ADD_SETTINGS, found);
            }
        }
        for (Element e : elements(conf, at, "AdditionalArgs")) {
            Optional<String> valueKey = Json.key(e.node(), "Value");
            if (valueKey.isPresent() && OutboundNat.is(e.node().get(valueKey.get()))) {
                policy(e.node().get(valueKey.get()), e.at().appendProperty(valueKey.get()), Form.ADD_SETTINGS, found);
            }
        }
        Optional<String> delegate = Json.key(conf, "delegate");
        if (delegate.isPresent() && conf.get(delegate.get()).isObject()) {
            plugin(conf.get(delegate.get()), at.appendProperty(delegate.get()), found);
        }
        for (Element e : elements(conf, at, "plugins")) {
            plugin(e.node(), e.at(), found);
        }
    }

    private static void policy(JsonNode policy, JsonPointer at, Form withoutList, List<NatList> found)
            throws CniConfException {
        Optional<ObjectNode> settings = OutboundNat.settings(policy);
        long flags = OutboundNat.flags(policy) | settings.map(OutboundNat::flags).orElse(0L);
        IpFamily family = (flags & OutboundNat.FLAG_IPV6) != 0 ? IpFamily.IPV6 : IpFamily.IPV4;
        Optional<String> v1List = Json.key(policy, "ExceptionList");
        if (v1List.isPresent()) {
            found.add(new NatList(at.appendProperty(v1List.get()), family, strings(policy.get(v1List.get()), at), Form.LIST));
            return;
        }
        Optional<String> settingsKey = Json.key(policy, "Settings");
        if (settingsKey.isPresent() && settings.isEmpty()) {
            throw new CniConfException("OutBoundNAT Settings at " + at + " is not a JSON object");
        }
        if (settings.isPresent()) {
            JsonPointer settingsAt = at.appendProperty(settingsKey.get());
            Optional<String> v2List = Json.key(settings.get(), "Exceptions");
            found.add(v2List.isPresent()
                    ? new NatList(settingsAt.appendProperty(v2List.get()), family,
                            strings(settings.get().get(v2List.get()), settingsAt), Form.LIST)
                    : new NatList(settingsAt, family, List.of(), Form.ADD_EXCEPTIONS));
            return;
        }
        found.add(new NatList(at, family, List.of(), withoutList));
    }

    private static List<String> strings(JsonNode list, JsonPointer at) throws CniConfException {
        try {
            return OutboundNat.strings(list, list);
        } catch (HcnException e) {
            throw new CniConfException("the OutBoundNAT exception list at " + at + " is not a list of strings");
        }
    }

    private record Element(JsonNode node, JsonPointer at) {
    }

    /** The object elements of the array member {@code name} of {@code conf}. */
    private static List<Element> elements(JsonNode conf, JsonPointer at, String name) {
        Optional<String> key = Json.key(conf, name);
        List<Element> out = new ArrayList<>();
        if (key.isPresent() && conf.get(key.get()).isArray()) {
            JsonNode array = conf.get(key.get());
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isObject()) {
                    out.add(new Element(array.get(i), at.appendProperty(key.get()).appendIndex(i)));
                }
            }
        }
        return out;
    }
}
