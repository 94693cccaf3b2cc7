package io.wabatch.upload.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.Json;
import io.wabatch.common.contract.MediaPositionCorpus;
import io.wabatch.common.contract.MediaType;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MediaLocatorTest {

    private static final Function<String, String> LINK = name -> "https://cdn.example.com/" + name;

    static List<MediaPositionCorpus.Body> bodies() {
        return MediaPositionCorpus.bodies(LINK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void everyPositionsLinkIsToBeUploaded(MediaPositionCorpus.Body body) {
        List<LinkMedia> links = MediaLocator.find(body.message());

        assertThat(links).extracting(LinkMedia::pointer).containsExactlyElementsOf(body.pointers());
        assertThat(links).allSatisfy(l -> assertThat(l.link()).isEqualTo(body.message().at(l.pointer()).get("link").asText()));
    }

    @Test
    void findsMediaMessageLinks() throws Exception {
        var message = Json.mapper().readTree("{\"type\":\"video\",\"video\":{\"link\":\"https://x.example/v.mp4\"}}");
        assertThat(MediaLocator.find(message)).containsExactly(new LinkMedia("/video", MediaType.VIDEO, "https://x.example/v.mp4"));
    }

    @Test
    void findsTemplateHeaderMediaAndSkipsIdsAndText() throws Exception {
        var message = Json.mapper().readTree("""
                {"type":"template","template":{"name":"t","language":{"code":"en"},"components":[
                  {"type":"header","parameters":[{"type":"document","document":{"link":"https://x.example/a.pdf"}}]},
                  {"type":"body","parameters":[{"type":"text","text":"x"},{"type":"image","image":{"id":"42"}}]},
                  {"type":"header","parameters":[{"type":"IMAGE","image":{"link":"https://x.example/h.jpg"}}]}]}}
                """);
        assertThat(MediaLocator.find(message)).containsExactly(
                new LinkMedia("/template/components/0/parameters/0/document", MediaType.DOCUMENT, "https://x.example/a.pdf"),
                new LinkMedia("/template/components/2/parameters/0/image", MediaType.IMAGE, "https://x.example/h.jpg"));
    }

    @Test
    void mediaByIdAndTextNeedNothing() throws Exception {
        assertThat(MediaLocator.find(Json.mapper().readTree("{\"type\":\"image\",\"image\":{\"id\":\"1\"}}"))).isEmpty();
        assertThat(MediaLocator.find(Json.mapper().readTree("{\"type\":\"text\",\"text\":{\"body\":\"b\"}}"))).isEmpty();
    }
}
