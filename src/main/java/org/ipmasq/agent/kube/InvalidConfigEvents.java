package org.ipmasq.agent.kube;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.ipmasq.agent.config.Sha256;

/**
 * One Warning Event (reason {@code InvalidConfig}) on the ConfigMap per node per content version.
 * The Event's name is derived from node, ConfigMap uid and resourceVersion, so even a restarted
 * agent cannot post a second one: the API answers 409 and that is the end of it. A thousand nodes
 * re-syncing a bad document every interval thus cost one Event each, once.
 */
public final class InvalidConfigEvents {

    private static final Logger LOG = Logger.getLogger(InvalidConfigEvents.class);
    static final String REASON = "InvalidConfig";
    static final String COMPONENT = "ip-masq-agent";

    private final KubernetesClient client;
    private final String nodeName;
    private final Clock clock;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public InvalidConfigEvents(KubernetesClient client, String nodeName, Clock clock) {
        this.client = client;
        this.nodeName = nodeName;
        this.clock = clock;
    }

    /** Reports {@code error} against {@code configMap} unless this version was reported already. */
    public void report(ConfigMap configMap, String error) {
        String version = configMap.getMetadata().getUid() + "/" + configMap.getMetadata().getResourceVersion();
        if (!reported.add(version)) {
            return;
        }
        String name = configMap.getMetadata().getName() + "." + digest(nodeName + "/" + version);
        String now = DateTimeFormatter.ISO_INSTANT.format(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        Event event = new EventBuilder()
                .withNewMetadata().withName(name).withNamespace(configMap.getMetadata().getNamespace()).endMetadata()
                .withNewInvolvedObject()
                    .withApiVersion("v1").withKind("ConfigMap")
                    .withNamespace(configMap.getMetadata().getNamespace()).withName(configMap.getMetadata().getName())
                    .withUid(configMap.getMetadata().getUid())
                    .withResourceVersion(configMap.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType("Warning").withReason(REASON)
                .withMessage("node " + nodeName + " rejected the config and keeps its last good rules: " + error)
                .withNewSource().withComponent(COMPONENT).withHost(nodeName).endSource()
                .withReportingComponent(COMPONENT).withReportingInstance(nodeName)
                .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                .build();
        try {
            client.v1().events().inNamespace(configMap.getMetadata().getNamespace()).resource(event).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                // Allow a later pass to try again: the Event is best effort, the log and health carry the error too.
                reported.remove(version);
                LOG.warnf("could not record an InvalidConfig Event on %s: %s", configMap.getMetadata().getName(),
                        e.getMessage());
            }
        }
    }

    private static String digest(String text) {
        return Sha256.hexPrefix(text, 16);
    }
}
