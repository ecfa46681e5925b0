package org.ipmasq.agent.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.ipmasq.agent.core.KubeletVolume;

/**
 * A service account's projected volume as the kubelet writes it (token, ca.crt, namespace, each a
 * link into {@code ..data}), and its rotation: a new token in a new timestamped directory, the
 * {@code ..data} link swapped in one rename, the old directory removed.
 */
final class ServiceAccountVolume {

    private final Path dir;
    private final String ca;
    private int version;

    private ServiceAccountVolume(Path dir, String ca) {
        this.dir = dir;
        this.ca = ca;
    }

    /** A volume in {@code dir} holding {@code token} and the server's CA certificate. */
    static ServiceAccountVolume create(Path dir, Path caCertificate, String token) throws IOException {
        ServiceAccountVolume volume = new ServiceAccountVolume(Files.createDirectories(dir), Files.readString(caCertificate));
        volume.rotate(token);
        return volume;
    }

    /** What the kubelet does when it refreshes the projected token. */
    void rotate(String token) throws IOException {
        version++;
        KubeletVolume.write(dir, Integer.toString(version), "token", token, "ca.crt", ca, "namespace", "kube-system");
    }

    Path path() {
        return dir;
    }
}
