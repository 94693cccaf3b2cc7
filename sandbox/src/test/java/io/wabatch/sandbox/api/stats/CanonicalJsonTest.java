package io.wabatch.sandbox.api.stats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void sortsKeysAtEveryLevelDropsTheTokenAndWritesTheRecipientsDigits() throws Exception {
        var body = mapper.readTree("""
                {"type":"image","to":"+49 151 234","biz_opaque_callback_data":"v1|c|j|1",
                 "image":{"link":"https://x/y.jpg","caption":"hi"},"n":[3,1.5,true,null,{"b":1,"a":"z"}]}""");
        assertThat(CanonicalJson.of(body, "49151234")).isEqualTo(
                "{\"image\":{\"caption\":\"hi\",\"link\":\"https://x/y.jpg\"},\"n\":[3,1.5,true,null,{\"a\":\"z\",\"b\":1}],"
                        + "\"to\":\"49151234\",\"type\":\"image\"}");
    }

    @Test
    void theSameContentGetsTheSameKeyWhateverTheOrderFormattingAndToken() throws Exception {
        var one = mapper.readTree("{\"to\":\"+49 151 234\",\"type\":\"text\",\"text\":{\"body\":\"a\"},"
                + "\"biz_opaque_callback_data\":\"v1|c|j|1\"}");
        var two = mapper.readTree("{\"text\":{\"body\":\"a\"},\"type\":\"text\",\"to\":\"49151234\","
                + "\"biz_opaque_callback_data\":\"v1|c|j|2\"}");
        var other = mapper.readTree("{\"text\":{\"body\":\"b\"},\"type\":\"text\",\"to\":\"49151234\"}");
        assertThat(CanonicalJson.key(one, "49151234")).isEqualTo(CanonicalJson.key(two, "49151234"))
                .isNotEqualTo(CanonicalJson.key(other, "49151234"));
        assertThat(CanonicalJson.key(one, "49151234")).isNotEqualTo(CanonicalJson.key(one, "49151235"));
    }
}
