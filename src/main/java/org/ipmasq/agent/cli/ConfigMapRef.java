package org.ipmasq.agent.cli;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Which ConfigMap key holds the document: {@code kube-system/ip-masq-agent}, key {@code config} by default. */
public record ConfigMapRef(String namespace, String name, String key) {

    public static final ConfigMapRef DEFAULT = new ConfigMapRef("kube-system", "ip-masq-agent", "config");

    /** RFC 1123 subdomain (object names) and label (namespaces), as the API server checks them. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern CONFIGMAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    /**
     * The ConfigMaps of {@code --configmap-name}: a comma-separated list of names in one
     * namespace, the primary first. Spaces around names are dropped; an empty or repeated name is
     * an error, since either is a typo that would otherwise watch nothing or the same thing twice.
     */
    static List<ConfigMapRef> list(String namespace, String names, String key) throws UsageException {
        List<ConfigMapRef> refs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String part : names.split(",", -1)) {
            String name = part.strip();
            if (name.isEmpty()) {
                throw new UsageException("--configmap-name: \"" + names + "\" has an empty name in its list");
            }
            if (!seen.add(name)) {
                throw new UsageException("--configmap-name: \"" + name + "\" is listed twice");
            }
            refs.add(of(namespace, name, key));
        }
        return List.copyOf(refs);
    }

    static ConfigMapRef of(String namespace, String name, String key) throws UsageException {
        if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            throw new UsageException("--configmap-namespace: \"" + namespace + "\" is not a valid namespace name");
        }
        if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
            throw new UsageException("--configmap-name: \"" + name + "\" is not a valid ConfigMap name");
        }
        if (key.length() > 253 || !CONFIGMAP_KEY.matcher(key).matches()) {
            throw new UsageException("--configmap-key: \"" + key + "\" is not a valid ConfigMap key");
        }
        return new ConfigMapRef(namespace, name, key);
    }

    @Override
    public String toString() {
        return namespace + "/" + name + "#" + key;
    }
}
