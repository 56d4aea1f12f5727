package com.fcminiapp.localcloud.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Loopback addresses other than 127.0.0.1 (127.0.0.2, 127.0.0.3), which tests use in place of a LAN address: Linux
 * routes all of 127.0.0.0/8 to lo, macOS only 127.0.0.1 unless an alias is added.
 */
public final class LoopbackAliases {

    private LoopbackAliases() {
    }

    /** Skips the test unless {@code address} (in 127.0.0.0/8) can be bound and called here. */
    public static void assumeUsable(String address) {
        Assumptions.assumeTrue(usable(address), address + " cannot be bound and called on this machine (on macOS: "
                + "sudo ifconfig lo0 alias " + address + ")");
    }

    private static boolean usable(String address) {
        try (ServerSocket server = new ServerSocket()) {
            InetAddress bind = InetAddress.getByName(address);
            server.bind(new InetSocketAddress(bind, 0));
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(bind, server.getLocalPort()), 5000);
                return true;
            }
        } catch (IOException e) {
            return false;
        }
    }
}
