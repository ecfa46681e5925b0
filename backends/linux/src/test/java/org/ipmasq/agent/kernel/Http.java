package org.ipmasq.agent.kernel;

/** Plain HTTP/1.0 GET from inside a namespace (bash's /dev/tcp, so no client needs installing). */
final class Http {

    private Http() {
    }

    record Response(int status, String body) {
    }

    /** Returns null while nothing listens yet. */
    static Response get(Netns ns, int port, String path) {
        Netns.Result r = ns.exec("timeout", "5", "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/" + port
                + " && printf 'GET " + path + " HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && cat <&3");
        if (r.exit() != 0 || !r.out().startsWith("HTTP/")) {
            return null;
        }
        int status = Integer.parseInt(r.out().substring(9, 12));
        int bodyAt = r.out().indexOf("\r\n\r\n");
        return new Response(status, bodyAt < 0 ? "" : r.out().substring(bodyAt + 4));
    }
}
