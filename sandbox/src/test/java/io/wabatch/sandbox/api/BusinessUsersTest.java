package io.wabatch.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.wabatch.sandbox.api.rules.ApiException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The BSUID map: stable, distinct per business, and inverted back to the person without any memory. */
class BusinessUsersTest {

    private static final String SHOP = "portfolio:shop";
    private static final String BANK = "portfolio:bank";
    private final BusinessUsers users = new BusinessUsers(() -> List.of(SHOP, BANK));

    @Test
    void everyPhoneOf7To15DigitsGoesThereAndBack() {
        Random random = new Random(18);
        Set<String> phones = new HashSet<>();
        Set<String> bsuids = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            int length = 7 + random.nextInt(9);
            StringBuilder digits = new StringBuilder();
            for (int d = 0; d < length; d++) {
                digits.append(random.nextInt(10));
            }
            String phone = digits.toString();
            String bsuid = users.issue(SHOP, phone);

            assertThat(bsuid).matches("[A-Z]{2}\\.\\d{20}").isEqualTo(users.issue(SHOP, phone));
            assertThat(users.recipient(SHOP, null, bsuid)).isEqualTo(new Recipient(phone, bsuid));
            assertThat(users.recipient(SHOP, null, users.issueParent(phone)).digits()).isEqualTo(phone);
            assertThat(bsuids.add(bsuid)).as("distinct people, distinct BSUIDs").isEqualTo(phones.add(phone));
        }
    }

    @Test
    void anotherBusinessSeesAnotherBsuidAndMayNotUseThisOne() {
        String shop = users.issue(SHOP, "4915112345678");

        assertThat(users.issue(BANK, "4915112345678")).isNotEqualTo(shop).startsWith("DE.");
        assertThatThrownBy(() -> users.recipient(BANK, null, shop)).isInstanceOf(ApiException.class)
                .hasMessageContaining("131009");
        assertThat(new BusinessUsers(() -> List.of(BANK)).recipient(BANK, null, shop))
                .as("of no configured business: a username user").isEqualTo(new Recipient(null, shop));
    }

    @Test
    void madeUpBsuidsAreUsernameUsers() {
        Random random = new Random(7);
        int people = 0;
        for (int i = 0; i < 20_000; i++) {
            String bsuid = "DE." + String.format("%010d%010d", random.nextInt(1_000_000_000),
                    random.nextInt(1_000_000_000));
            if (users.recipient(SHOP, null, bsuid).digits() != null) {
                people++;
            }
        }

        assertThat(people).isLessThanOrEqualTo(1);
        assertThat(users.recipient(SHOP, null, "DE.abc").digits()).isNull();
        assertThat(users.recipient(SHOP, null, "US." + "7".repeat(40)).digits()).isNull();
    }

    @Test
    void theCountryComesFromTheCallingCode() {
        assertThat(users.issue(SHOP, "16505551234")).startsWith("US.");
        assertThat(users.issue(SHOP, "4915112345678")).startsWith("DE.");
        assertThat(users.issue(SHOP, "971501234567")).startsWith("AE.");
        assertThat(users.issue(SHOP, "8881234567")).startsWith("ZZ.");
        assertThat(users.issueParent("4915112345678")).startsWith("DE.ENT.");
    }
}
