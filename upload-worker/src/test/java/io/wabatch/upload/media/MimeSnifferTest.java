package io.wabatch.upload.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.common.contract.MediaType;
import io.wabatch.sandbox.origin.MediaOrigin;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MimeSnifferTest {

    @ParameterizedTest(name = "{0} as {1}")
    @CsvSource({
            "sample.jpg, image, application/octet-stream, image/jpeg",
            "sample.png, image, image/jpeg, image/png",
            "sticker.webp, sticker, , image/webp",
            "sample.mp4, video, video/mp4, video/mp4",
            "sample.mp4, video, application/octet-stream, video/mp4",
            "sample.m4a, audio, audio/mp4, audio/mp4",
            "sample.mp3, audio, audio/mpeg, audio/mpeg",
            "voice.ogg, audio, audio/ogg, audio/ogg",
            "voice.ogg, audio, , audio/ogg",
            "sample.pdf, document, application/pdf, application/pdf",
            "sample.txt, document, text/plain, text/plain"})
    void recognisesEverySampleByItsBytes(String file, String type, String declared, String expected) {
        byte[] bytes = MediaOrigin.sample(file);
        assertThat(MimeSniffer.resolve(MediaType.of(type).orElseThrow(), declared, bytes)).isEqualTo(expected);
    }

    @Test
    void htmlDeclaredAsJpegIsRejectedAsHtml() {
        byte[] html = "<!DOCTYPE html><html><body>Not found</body></html>".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> MimeSniffer.resolve(MediaType.IMAGE, "image/jpeg", html))
                .isInstanceOfSatisfying(MediaException.class, e -> {
                    assertThat(e.code()).isEqualTo(MediaException.REJECTED);
                    assertThat(e.getMessage()).contains("HTML page instead of the image");
                });
    }

    @Test
    void wrongKindIsRejectedNamingBothTypes() {
        assertThatThrownBy(() -> MimeSniffer.resolve(MediaType.IMAGE, "image/jpeg", MediaOrigin.sample("sample.pdf")))
                .hasMessageContaining("the file is application/pdf (declared image/jpeg)")
                .hasMessageContaining("image must be one of [image/jpeg, image/png]");
        assertThatThrownBy(() -> MimeSniffer.resolve(MediaType.STICKER, "image/webp", MediaOrigin.sample("sample.png")))
                .isInstanceOf(MediaException.class);
    }
}
