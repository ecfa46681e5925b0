package org.ipmasq.agent.backend.hns;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The text is read as the plugins read it ({@link JsonDocument}): keys in any casing, and of a
 * key repeated the last occurrence, which is also the one a rewrite changes. An OutBoundNAT
 * value with a {@code Settings} object is read in the v2 form even under {@code policies}. A
 * list's family follows {@link NatFamily}, as on endpoints. An OutBoundNAT without a list gets
 * one, as an endpoint's empty list would.
 */
final class CniConf {

    enum Form {
        /** The list exists (possibly as null): replace it. */
        LIST,
        /** v1 policy without a list: add {@code ExceptionList}. */
        ADD_EXCEPTION_LIST,
        /** v2 Settings without a list: add {@code Exceptions}. */
        ADD_EXCEPTIONS,
        /** v2 policy without Settings: add {@code Settings: {Exceptions: [...]}}. */
        ADD_SETTINGS
    }

    /**
     * One exception list found (or to be created) in the document: {@code at} is the list itself,
     * or the object that gets one; {@code path} says where, for messages.
     */
    record NatList(JsonDocument.Value at, String path, IpFamily family, List<String> current, Form form) {

        NatList {
            current = List.copyOf(current);
        }

        JsonTextSplicer.Edit edit(List<String> wanted) {
            return switch (form) {
                case LIST -> new JsonTextSplicer.ReplaceList(at, wanted);
                case ADD_EXCEPTION_LIST -> new JsonTextSplicer.AddMember(object(), "ExceptionList", Json.strings(wanted));
                case ADD_EXCEPTIONS -> new JsonTextSplicer.AddMember(object(), "Exceptions", Json.strings(wanted));
                case ADD_SETTINGS -> {
                    ObjectNode settings = JsonNodeFactory.instance.objectNode();
                    settings.set("Exceptions", Json.strings(wanted));
                    yield new JsonTextSplicer.AddMember(object(), "Settings", settings);
                }
            };
        }

        private JsonDocument.ObjectValue object() {
            return (JsonDocument.ObjectValue) at;
        }
    }

    /** The new text and the distinct lists written into it. */
    record Rewrite(String text, List<List<String>> lists) {
    }

    private final String text;
    private final JsonDocument.Value root;
    private final List<NatList> lists;

    private CniConf(String text, JsonDocument.Value root, List<NatList> lists) {
        this.text = text;
        this.root = root;
        this.lists = List.copyOf(lists);
    }

    /** @param text the document without a byte order mark */
    static CniConf parse(String text) throws CniConfException {
        JsonDocument.Value root;
        try {
            root = JsonDocument.parse(text);
        } catch (JsonDocumentException e) {
            throw new CniConfException("not valid JSON: " + e.getMessage(), e);
        }
        if (!(root instanceof JsonDocument.ObjectValue conf)) {
            throw new CniConfException("not a CNI conf: the top level is not a JSON object");
        }
        List<NatList> found = new ArrayList<>();
        plugin(conf, "", found);
        return new CniConf(text, root, found);
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
            return Optional.of(new Rewrite(JsonTextSplicer.apply(text, root, edits), List.copyOf(written)));
        } catch (JsonDocumentException | IllegalStateException e) {
            throw new CniConfException("could not rewrite the exception list (" + e.getMessage() + ")", e);
        }
    }

    /** A plugin conf: its own policy lists, then a delegate and any plugins it wraps. */
    private static void plugin(JsonDocument.ObjectValue conf, String path, List<NatList> found) throws CniConfException {
        for (Element e : elements(conf, path, "policies")) {
            Optional<JsonDocument.Member> value = e.object().member("value");
            if (value.isPresent() && isOutboundNat(value.get().value())) {
                policy((JsonDocument.ObjectValue) value.get().value(), e.path() + "/" + value.get().key(),
                        Form.ADD_EXCEPTION_LIST, found);
            }
        }
        for (Element e : elements(conf, path, "HcnPolicyArgs")) {
            if (isOutboundNat(e.object())) {
                policy(e.object(), e.path(), Form.ADD_SETTINGS, found);
            }
        }
        for (Element e : elements(conf, path, "AdditionalArgs")) {
            Optional<JsonDocument.Member> value = e.object().member("Value");
            if (value.isPresent() && isOutboundNat(value.get().value())) {
                policy((JsonDocument.ObjectValue) value.get().value(), e.path() + "/" + value.get().key(),
                        Form.ADD_SETTINGS, found);
            }
        }
        Optional<JsonDocument.Member> delegate = conf.member("delegate");
        if (delegate.isPresent() && delegate.get().value() instanceof JsonDocument.ObjectValue inner) {
            plugin(inner, path + "/" + delegate.get().key(), found);
        }
        for (Element e : elements(conf, path, "plugins")) {
            plugin(e.object(), e.path(), found);
        }
    }

    private static boolean isOutboundNat(JsonDocument.Value value) {
        return value instanceof JsonDocument.ObjectValue policy && OutboundNat.is(JsonDocument.goView(policy));
    }

    /**
     * Where the policy's list is: a v1 {@code ExceptionList} beside {@code Type}; else in
     * {@code Settings} its {@code Exceptions}, or an {@code ExceptionList} there (OpenShift's
     * hybrid-overlay template writes that); else where one would go.
     */
    private static void policy(JsonDocument.ObjectValue policy, String path, Form withoutList, List<NatList> found)
            throws CniConfException {
        IpFamily family = OutboundNat.family(JsonDocument.goView(policy)).orElseThrow(
                () -> new CniConfException("the OutBoundNAT at " + path + ": " + NatFamily.CONTRADICTION));
        Optional<JsonDocument.Member> v1List = policy.member("ExceptionList");
        if (v1List.isPresent()) {
            found.add(list(v1List.get(), path, family));
            return;
        }
        Optional<JsonDocument.Member> settings = policy.member("Settings");
        if (settings.isEmpty()) {
            found.add(new NatList(policy, path, family, List.of(), withoutList));
            return;
        }
        String settingsPath = path + "/" + settings.get().key();
        if (!(settings.get().value() instanceof JsonDocument.ObjectValue object)) {
            throw new CniConfException("OutBoundNAT Settings at " + path + " is not a JSON object");
        }
        Optional<JsonDocument.Member> v2List = object.member("Exceptions").or(() -> object.member("ExceptionList"));
        found.add(v2List.isPresent()
                ? list(v2List.get(), settingsPath, family)
                : new NatList(object, settingsPath, family, List.of(), Form.ADD_EXCEPTIONS));
    }

    private static NatList list(JsonDocument.Member member, String parentPath, IpFamily family) throws CniConfException {
        String path = parentPath + "/" + member.key();
        return new NatList(member.value(), path, family, strings(member.value(), path), Form.LIST);
    }

    private static List<String> strings(JsonDocument.Value list, String path) throws CniConfException {
        try {
            return OutboundNat.strings(JsonDocument.goView(list), JsonDocument.goView(list));
        } catch (HcnException e) {
            throw new CniConfException("the OutBoundNAT exception list at " + path + " is not a list of strings");
        }
    }

    private record Element(JsonDocument.ObjectValue object, String path) {
    }

    /** The object elements of the array member {@code name} of {@code conf}. */
    private static List<Element> elements(JsonDocument.ObjectValue conf, String path, String name) {
        Optional<JsonDocument.Member> member = conf.member(name);
        List<Element> out = new ArrayList<>();
        if (member.isPresent() && member.get().value() instanceof JsonDocument.ArrayValue array) {
            for (int i = 0; i < array.items().size(); i++) {
                if (array.items().get(i) instanceof JsonDocument.ObjectValue object) {
                    out.add(new Element(object, path + "/" + member.get().key() + "/" + i));
                }
            }
        }
        return out;
    }
}
