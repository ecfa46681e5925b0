package org.ipmasq.agent.kube;

import java.util.regex.Pattern;

/** Which ConfigMap key holds the document: {@code kube-system/ip-masq-agent}, key {@code config} by default. */
public record ConfigMapRef(String namespace, String name, String key) {

    public static final ConfigMapRef DEFAULT = new ConfigMapRef("kube-system", "ip-masq-agent", "config");

    /** RFC 1123 subdomain (object names) and label (namespaces), as the API server checks them. */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern CONFIGMAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    /** Whether the API server would accept {@code namespace} as a namespace's name. */
    public static boolean validNamespace(String namespace) {
        return namespace.length() <= 63 && DNS_LABEL.matcher(namespace).matches();
    }

    /** Whether the API server would accept {@code name} as a ConfigMap's name. */
    public static boolean validName(String name) {
        return name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
    }

    /** Whether the API server would accept {@code key} as a key of a ConfigMap's data. */
    public static boolean validKey(String key) {
        return key.length() <= 253 && CONFIGMAP_KEY.matcher(key).matches();
    }

    @Override
    public String toString() {
        return namespace + "/" + name + "#" + key;
    }
}
