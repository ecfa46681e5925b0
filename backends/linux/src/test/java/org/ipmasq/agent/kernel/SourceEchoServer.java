package org.ipmasq.agent.kernel;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Runs inside the peer namespace: answers each TCP connection with the source address it saw,
 * which is what tells masqueraded from kept traffic. Bounded: it serves at most {@code max}
 * connections and quits after {@code seconds}.
 */
public final class SourceEchoServer {

    private SourceEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int max = Integer.parseInt(args[1]);
        long deadline = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("0.0.0.0", port));
            System.out.println("listening");
            System.out.flush();
            for (int served = 0; served < max && System.currentTimeMillis() < deadline; ) {
                server.setSoTimeout((int) Math.max(1, deadline - System.currentTimeMillis()));
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    String seen = ((InetSocketAddress) client.getRemoteSocketAddress()).getAddress().getHostAddress();
                    out.write((seen + "\n").getBytes(StandardCharsets.US_ASCII));
                    served++;
                } catch (java.net.SocketTimeoutException end) {
                    return;
                }
            }
        }
    }
}
