package io.wabatch.upload.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CacheDirectiveTest {

    @Test
    void readsTheDirectivesThatMatter() {
        CacheDirective d = CacheDirective.of("public, max-age=600", "\"v1\"", "Tue, 24 Nov 2026 10:00:00 GMT");
        assertThat(d.maxAge()).isEqualTo(Duration.ofMinutes(10));
        assertThat(d.shareable()).isTrue();
        assertThat(d.noCache()).isFalse();
        assertThat(d.hasValidators()).isTrue();
        assertThat(CacheDirective.of("No-Cache", null, "x").noCache()).isTrue();
        assertThat(CacheDirective.of("no-store", null, null).shareable()).isFalse();
        assertThat(CacheDirective.of("private, max-age=60", null, null).shareable()).isFalse();
        assertThat(CacheDirective.of("max-age=abc", null, null).maxAge()).isEqualTo(Duration.ZERO);
    }

    @Test
    void silentOnlyWithoutAnyCachingHeader() {
        assertThat(CacheDirective.of(null, null, null).silent()).isTrue();
        assertThat(CacheDirective.of(null, "\"e\"", null).silent()).isFalse();
        assertThat(CacheDirective.of("max-age=1", null, null).silent()).isFalse();
    }
}
