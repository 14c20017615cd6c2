package io.camelvan.router.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RevocationListTest {

    private static final BigInteger SERIAL = new BigInteger("8f3a00112233445566778899aabbccdd", 16);

    @TempDir
    Path dir;

    @Test
    void missingFileIsAnEmptyList() {
        RevocationList list = RevocationList.load(dir.resolve("revoked.txt"));

        assertThat(list.isRevoked(SERIAL)).isFalse();
        assertThat(list.reloadIfChanged()).isFalse();
    }

    @Test
    void revocationIsWrittenAsAHexLineWithItsReason() throws Exception {
        Path file = dir.resolve("revoked.txt");
        RevocationList list = RevocationList.load(file);

        list.revoke(SERIAL, "laptop of east-1\nstolen");

        assertThat(list.isRevoked(SERIAL)).isTrue();
        String line = Files.readAllLines(file).stream().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertThat(line).matches("8f3a00112233445566778899aabbccdd  # \\d{4}-.*Z laptop of east-1 stolen");
        assertThat(RevocationList.load(file).isRevoked(SERIAL)).isTrue();
    }

    @Test
    void serialsAreReadInTheFormsOperatorsCopy() throws Exception {
        Path file = dir.resolve("revoked.txt");
        Files.writeString(file, """
                # hand written
                8F:3A:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD   # from openssl x509 -text
                0x0a
                """);

        RevocationList list = RevocationList.load(file);

        assertThat(list.entries()).containsOnlyKeys(SERIAL, BigInteger.TEN);
        assertThat(list.entries().get(SERIAL)).isEqualTo("from openssl x509 -text");
    }

    @Test
    void malformedLineIsReportedWithItsNumber() throws Exception {
        Path file = dir.resolve("revoked.txt");
        Files.writeString(file, "# header\n8f3a\nnot-hex\n");

        assertThatThrownBy(() -> RevocationList.load(file))
                .isInstanceOf(PkiException.class)
                .hasMessage("revocation list " + file + " line 3: not a hex serial number: 'not-hex'");
    }

    @Test
    void runningReaderSeesARevocationMadeByAnotherWriter() {
        Path file = dir.resolve("revoked.txt");
        RevocationList router = RevocationList.load(file);
        RevocationList cli = RevocationList.load(file); // as the CLI in another process would

        cli.revoke(SERIAL, "by the CLI");

        assertThat(router.isRevoked(SERIAL)).isFalse();
        assertThat(router.reloadIfChanged()).isTrue();
        assertThat(router.isRevoked(SERIAL)).isTrue();
        assertThat(router.reloadIfChanged()).isFalse();
    }

    @Test
    void writersMergeTheirRevocations() {
        Path file = dir.resolve("revoked.txt");
        RevocationList first = RevocationList.load(file);
        RevocationList second = RevocationList.load(file);

        first.revoke(BigInteger.ONE, "one");
        second.revoke(BigInteger.TWO, "two"); // second never reloaded, yet keeps the first's revocation

        assertThat(RevocationList.load(file).entries()).containsOnlyKeys(BigInteger.ONE, BigInteger.TWO);
    }

    @Test
    void concurrentRevocationsAreAllKept() throws Exception {
        Path file = dir.resolve("revoked.txt");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                BigInteger serial = BigInteger.valueOf(i);
                RevocationList writer = RevocationList.load(file);
                done.add(pool.submit(() -> writer.revoke(serial, "bulk")));
            }
            for (Future<?> future : done) {
                future.get();
            }
        } finally {
            pool.shutdown();
        }

        assertThat(RevocationList.load(file).entries()).hasSize(20);
    }

    @Test
    void malformedEditKeepsThePreviousListInForce() throws Exception {
        Path file = dir.resolve("revoked.txt");
        RevocationList list = RevocationList.load(file);
        list.revoke(SERIAL, "lost");

        Files.writeString(file, "garbage!\n");

        assertThat(list.reloadIfChanged()).isFalse();
        assertThat(list.isRevoked(SERIAL)).isTrue();
    }

    @Test
    void deletedFileEmptiesTheList() throws Exception {
        Path file = dir.resolve("revoked.txt");
        RevocationList list = RevocationList.load(file);
        list.revoke(SERIAL, "lost");

        Files.delete(file);

        assertThat(list.reloadIfChanged()).isTrue();
        assertThat(list.isRevoked(SERIAL)).isFalse();
    }

    @Test
    void inMemoryListRevokesWithoutAFile() {
        RevocationList list = RevocationList.inMemory();

        list.revoke(SERIAL, null);

        assertThat(list.isRevoked(SERIAL)).isTrue();
        assertThat(list.reloadIfChanged()).isFalse();
    }
}
