package io.wabatch.upload.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LinkGuardTest {

    private final LinkGuard guard = new LinkGuard(List.of());

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/a.jpg", "http://localhost/a.jpg", "http://10.1.2.3/a.jpg",
            "http://172.16.0.1/a.jpg", "http://192.168.1.1/a.jpg", "http://169.254.169.254/latest/meta-data",
            "http://[::1]/a.jpg", "http://[fd00::1]/a.jpg", "http://[fe80::1]/a.jpg", "http://0.0.0.0/a.jpg",
            "http://100.64.0.1/a.jpg", "http://224.0.0.1/a.jpg", "http://198.18.0.1/a.jpg",
            "http://[64:ff9b::a9fe:a9fe]/latest", "http://[2002:7f00:1::]/a.jpg", "http://[2001:0:4136:e378::1]/a.jpg",
            "http://[::7f00:1]/a.jpg", "http://[::ffff:10.0.0.1]/a.jpg"})
    void refusesPrivateLoopbackAndLinkLocalAddresses(String link) {
        assertThatThrownBy(() -> guard.check(URI.create(link)))
                .isInstanceOfSatisfying(MediaException.class, e -> {
                    assertThat(e.code()).isEqualTo(MediaException.BLOCKED);
                    assertThat(e.getMessage()).contains("media.allow");
                });
    }

    @Test
    void allowsPublicAddresses() throws Exception {
        assertThat(LinkGuard.isPublic(InetAddress.getByName("93.184.216.34"))).isTrue();
        assertThat(LinkGuard.isPublic(InetAddress.getByName("2606:2800:220:1:248:1893:25c8:1946"))).isTrue();
    }

    @Test
    void allowlistedRangesAndHostsPass() {
        LinkGuard allowing = new LinkGuard(List.of("127.0.0.0/8", "internal.example"));
        assertThat(allowing.check(URI.create("http://127.0.0.5:8080/a.jpg")).getHostAddress()).isEqualTo("127.0.0.5");
        assertThatThrownBy(() -> allowing.check(URI.create("http://10.0.0.1/a.jpg"))).isInstanceOf(MediaException.class);
    }

    @Test
    void unresolvableHostIsUnavailableNotBlocked() {
        assertThatThrownBy(() -> guard.check(URI.create("http://no-such-host.invalid/a.jpg")))
                .isInstanceOfSatisfying(MediaException.class, e -> assertThat(e.code()).isEqualTo(MediaException.UNAVAILABLE));
    }

    @Test
    void badAllowEntryIsAConfigurationError() {
        assertThatThrownBy(() -> new LinkGuard(List.of("10.0.0.0/99"))).isInstanceOf(IllegalArgumentException.class);
    }
}
