package io.wabatch.funnel.cost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateCardTest {

    private static final String CARD = """
            # prices per charged message
            currency: EUR
            default:
              marketing: 0.0615
              utility: 0.0248
              authentication_international: 0.0455
            calling_codes:
              "49":
                marketing: 0.1365
                utility: 0.0550
              +1:
                marketing: 0.0250
              91: {}
            """;

    @TempDir
    Path dir;

    @Test
    void pricesByCallingCodeAndCategoryElseTheCategorysDefault() throws Exception {
        RateCard card = RateCard.read(write("rates.yaml", CARD));
        assertThat(card.currency()).isEqualTo("EUR");
        assertThat(card.price(49, "marketing")).isEqualByComparingTo("0.1365");
        assertThat(card.price(49, "utility")).isEqualByComparingTo("0.0550");
        assertThat(card.price(1, "marketing")).as("+1 is calling code 1").isEqualByComparingTo("0.0250");
        assertThat(card.price(1, "utility")).as("a category the code does not list: the default")
                .isEqualByComparingTo("0.0248");
        assertThat(card.price(91, "marketing")).isEqualByComparingTo("0.0615");
        assertThat(card.price(33, "authentication_international")).isEqualByComparingTo("0.0455");
        assertThat(card.price(null, "marketing")).as("no calling code: the default").isEqualByComparingTo("0.0615");
        assertThat(card.price(49, "service")).as("no price anywhere").isNull();
        assertThat(card.price(49, null)).isNull();
    }

    @Test
    void pricesAreReadExactlyNotThroughBinaryFloatingPoint() throws Exception {
        RateCard card = RateCard.read(write("rates.yaml", "currency: USD\ndefault: {marketing: 0.10000000000000000001}\n"));
        BigDecimal sum = BigDecimal.ZERO;
        for (int i = 0; i < 3; i++) {
            sum = sum.add(card.price(44, "marketing"));
        }
        assertThat(sum).isEqualTo(new BigDecimal("0.30000000000000000003"));
    }

    @Test
    void aJsonRateCardIsReadToo() throws Exception {
        RateCard card = RateCard.read(write("rates.json", """
                {"currency": "INR", "calling_codes": {"91": {"marketing": 0.7846, "utility": 0.1150}}}"""));
        assertThat(card.price(91, "utility")).isEqualByComparingTo("0.115");
        assertThat(card.price(49, "utility")).isNull();
    }

    @Test
    void aBadPriceNamesTheFileTheLineAndTheField() throws Exception {
        Path file = write("rates.yaml", CARD.replace("utility: 0.0550", "utility: \"cheap\""));
        assertThatThrownBy(() -> RateCard.read(file)).isInstanceOf(RateCardException.class)
                .hasMessage("rate card " + file + " line 10, calling_codes.49.utility: the price must be a number "
                        + "of at least 0, got 'cheap'");
    }

    @Test
    void everyProblemIsReportedEachWithItsLine() throws Exception {
        Path file = write("rates.yaml", """
                currency: euro
                defaults:
                  marketing: 0.06
                calling_codes:
                  "4x9":
                    marketing: 0.1
                  "44":
                    Marketing: 0.1
                    utility: -0.01
                """);
        assertThatThrownBy(() -> RateCard.read(file)).isInstanceOfSatisfying(RateCardException.class,
                e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "rate card " + file + " line 2, defaults: unknown field (expected currency, default, "
                                + "calling_codes)",
                        "rate card " + file + " line 1, currency: 'euro' is not an ISO 4217 currency code (e.g. EUR, "
                                + "USD, INR)",
                        "rate card " + file + " line 5, calling_codes.4x9: not a country calling code (1 to 3 "
                                + "digits, e.g. 49 or +49)",
                        "rate card " + file + " line 8, calling_codes.44.Marketing: not a pricing category "
                                + "(lower-case, e.g. marketing, marketing_lite, utility)",
                        "rate card " + file + " line 9, calling_codes.44.utility: the price must be a number of at "
                                + "least 0, got -0.01"));
    }

    @Test
    void aMissingCurrencyOrNoPriceAtAllIsRefused() throws Exception {
        Path noCurrency = write("a.yaml", "default:\n  marketing: 0.06\n");
        assertThatThrownBy(() -> RateCard.read(noCurrency)).hasMessageContaining("a.yaml, currency: required");
        Path empty = write("b.yaml", "currency: EUR\n");
        assertThatThrownBy(() -> RateCard.read(empty)).hasMessageContaining("b.yaml, default: no price at all");
    }

    @Test
    void aFileThatIsNotYamlNamesTheLineAndColumn() throws Exception {
        Path file = write("rates.yaml", "currency: EUR\ndefault:\n  marketing: [0.06\n");
        assertThatThrownBy(() -> RateCard.read(file)).isInstanceOf(RateCardException.class)
                .hasMessageStartingWith("rate card " + file + " line ").hasMessageContaining("not YAML or JSON");
        Path missing = dir.resolve("absent.yaml");
        assertThatThrownBy(() -> RateCard.read(missing)).isInstanceOf(RateCardException.class)
                .hasMessageStartingWith("cannot read rate card " + missing);
        Path list = write("list.yaml", "- EUR\n");
        assertThatThrownBy(() -> RateCard.read(list)).hasMessageContaining("expected a mapping");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
