package io.wabatch.upload;

import static org.assertj.core.api.Assertions.assertThat;

import io.wabatch.common.contract.MediaObjects;
import io.wabatch.common.contract.MediaPositionCorpus;
import io.wabatch.common.contract.MediaRef;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A re-upload request names its media by pointer: every position's pointer gives back its media type. */
class ReuploadsTest {

    static List<MediaPositionCorpus.Body> bodies() {
        return MediaPositionCorpus.bodies(name -> "https://cdn.example.com/" + name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bodies")
    void everyPositionsPointerNamesItsMediaType(MediaPositionCorpus.Body body) {
        for (MediaObjects.Found found : MediaObjects.find(body.message())) {
            MediaRef ref = new MediaRef(found.pointer(), found.object().get("link").asText(), "M1", null, null);
            assertThat(Reuploads.typeOf(ref)).as(found.pointer()).isEqualTo(found.type());
        }
    }
}
