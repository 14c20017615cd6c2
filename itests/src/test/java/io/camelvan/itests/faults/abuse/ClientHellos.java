package io.camelvan.itests.faults.abuse;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.ThreadLocalRandom;

/**
 * TLS ClientHello records written by hand, for what no JDK client offers any more (TLS 1.1, suites
 * without forward secrecy or with RC4): the router must refuse them, and this way the test does
 * not depend on the client JVM's {@code jdk.tls.disabledAlgorithms}.
 */
final class ClientHellos {

    static final int TLS_1_1 = 0x0302;
    static final int TLS_1_2 = 0x0303;
    /** TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA and TLS_RSA_WITH_AES_128_CBC_SHA: what a TLS 1.1 client offers. */
    static final int[] CBC_SUITES = {0xC013, 0x002F};
    /** TLS_RSA_WITH_RC4_128_SHA, TLS_RSA_WITH_3DES_EDE_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA: no forward secrecy, weak. */
    static final int[] WEAK_SUITES = {0x0005, 0x000A, 0x002F};

    private ClientHellos() {
    }

    /** One handshake record holding a ClientHello of {@code version} offering {@code suites}, with no extensions. */
    static byte[] clientHello(int version, int[] suites) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, version);
        byte[] random = new byte[32];
        ThreadLocalRandom.current().nextBytes(random);
        body.writeBytes(random);
        body.write(0);                       // no session id
        u16(body, suites.length * 2);
        for (int suite : suites) {
            u16(body, suite);
        }
        body.write(1);                       // compression methods: null only
        body.write(0);
        byte[] hello = body.toByteArray();

        ByteArrayOutputStream record = new ByteArrayOutputStream();
        record.write(0x16);                  // handshake
        u16(record, 0x0301);                 // record version, as clients send it
        u16(record, hello.length + 4);
        record.write(0x01);                  // client_hello
        record.write(0);
        u16(record, hello.length);
        record.writeBytes(hello);
        return record.toByteArray();
    }

    private static void u16(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8 & 0xff);
        out.write(value & 0xff);
    }
}
