package io.wabatch.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.wabatch.sandbox.api.RawHttp.Multipart;
import io.wabatch.sandbox.api.RawHttp.Response;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Uploads near the 100 MB document limit are spooled to disk, hashed, and the spool file deleted. */
@Timeout(120)
class LargeUploadTest {

    private static final long MB = 1L << 20;

    @TempDir
    static Path spool;
    @TempDir
    static Path files;
    private static TestSandbox sandbox;

    @BeforeAll
    static void start() {
        sandbox = TestSandbox.start(b -> b.uploadDir(spool));
    }

    @AfterAll
    static void stop() {
        sandbox.close();
    }

    @Test
    void documentAtTheLimitIsAcceptedAndOneByteMoreIsNot() throws Exception {
        Response atLimit = upload(sparseFile("at-limit.pdf", 100 * MB));
        Response over = upload(sparseFile("over.pdf", 100 * MB + 1));

        assertThat(atLimit.status()).as(atLimit.body()).isEqualTo(200);
        assertThat(sandbox.server.uploads()).singleElement().satisfies(m -> {
            assertThat(m.size()).isEqualTo(100 * MB);
            // SHA-256 of 100 MiB of zero bytes.
            assertThat(m.sha256()).isEqualTo("20492a4d0d84f8beb1767f6616229f85d44c2827b64bdbfb260ee12fa1109e0e");
        });
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.code()).isEqualTo(100);
        assertThat(over.details()).contains("100 MB");
        await("spool files are deleted").atMost(Duration.ofSeconds(10)).until(() -> isEmpty(spool));
    }

    @Test
    void bodyOverTheUploadLimitIsRejectedInMetaShape() throws Exception {
        Response tooBig = upload(sparseFile("huge.pdf", 102 * MB));

        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.code()).isEqualTo(100);
        await("spool files are deleted").atMost(Duration.ofSeconds(10)).until(() -> isEmpty(spool));
    }

    private static Response upload(Path file) throws IOException {
        Multipart form = new Multipart().field("messaging_product", "whatsapp").field("type", "application/pdf")
                .file("file", file.getFileName().toString(), "application/pdf", file);
        return sandbox.uploadMeta(form);
    }

    private static Path sparseFile(String name, long size) throws IOException {
        Path file = files.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
