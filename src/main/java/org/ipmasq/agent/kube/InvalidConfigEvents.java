package org.ipmasq.agent.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.ipmasq.agent.config.Sha256;

/**
 * Warning Events (reason {@code InvalidConfig}) on a rejected ConfigMap: at most one per distinct
 * error per ConfigMap version for the whole cluster.
 *
 * <p>The Event's name is derived from the ConfigMap's uid, its resourceVersion and the error,
 * and not from the node: every node that finds the same error in the same version computes the
 * same name, the first create wins, and the API answers the others {@code AlreadyExists} (409),
 * which means "already said" and is not an error. One bad edit on a 5,000-node cluster is one
 * stored Event, not 5,000.
 *
 * <p>An error only some nodes find (it depends on the node's flags, such as an IPv6 range on a
 * node without {@code --enable-ipv6}) names the node too: one Event per such node, each saying
 * which node it is.
 */
public final class InvalidConfigEvents {

    private static final Logger LOG = Logger.getLogger(InvalidConfigEvents.class);
    static final String REASON = "InvalidConfig";
    static final String COMPONENT = "ip-masq-agent";
    /** Object names are DNS subdomains of at most 253 characters; the suffix takes 17. */
    private static final int MAX_PREFIX = 200;

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    /** Event names this process has posted or seen posted, so a resync does not ask the API again. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public InvalidConfigEvents(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    /**
     * Reports {@code error} against {@code configMap} unless this error in this version was reported already.
     *
     * @param nodeSpecific whether only nodes started like this one find the error
     */
    public void report(ConfigMap configMap, String error, boolean nodeSpecific) {
        String name = eventName(configMap, error, nodeSpecific ? nodeName : null);
        if (!reported.add(name)) {
            return;
        }
        String namespace = configMap.getMetadata().getNamespace();
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(ChronoUnit.SECONDS));
        String message = nodeSpecific
                ? "node " + nodeName + " rejected the config and keeps its last good rules: " + error
                : "the config is rejected (every node keeps its last good rules; first reported by node "
                        + nodeName + "): " + error;
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion("v1").withKind("ConfigMap")
                    .withNamespace(namespace).withName(configMap.getMetadata().getName())
                    .withUid(configMap.getMetadata().getUid())
                    .withResourceVersion(configMap.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType("Warning").withReason(REASON)
                .withMessage(message)
                .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(nodeName)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(namespace).resource(event).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                // Allow a later pass to try again: the Event is best effort, the log and health carry the error too.
                reported.remove(name);
                LOG.warnf("could not record an InvalidConfig Event on %s: %s", configMap.getMetadata().getName(),
                        e.getMessage());
            }
            // 409 AlreadyExists: another node (or this one before a restart) already said it.
        }
    }

    /**
     * {@code <configmap>.<16 hex digits>}: the digits hash the ConfigMap's uid, its
     * resourceVersion, the error and, for a node-specific error only, the node.
     */
    static String eventName(ConfigMap configMap, String error, String nodeOrNull) {
        String identity = configMap.getMetadata().getUid() + "\n" + configMap.getMetadata().getResourceVersion()
                + "\n" + error + (nodeOrNull == null ? "" : "\nnode=" + nodeOrNull);
        String prefix = configMap.getMetadata().getName();
        if (prefix.length() > MAX_PREFIX) {
            prefix = prefix.substring(0, MAX_PREFIX).replaceAll("[.-]+$", "");
        }
        return prefix + "." + digest(identity);
    }

    private static String digest(String text) {
        return Sha256.hexPrefix(text, 16);
    }
}
