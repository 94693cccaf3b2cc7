package io.wabatch.funnel.cost;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Estimated prices of charged messages in one currency: per country calling code and pricing category,
 * with a default per category for calling codes not listed. Read from a file by {@link #read}
 * (format: {@link RateCardFile}). Immutable and thread-safe.
 *
 * @param currency   ISO 4217 code, e.g. {@code EUR}
 * @param defaults   price per category for any calling code not listed (or a category it does not list)
 * @param byCode     price per category, per calling code
 */
public record RateCard(String currency, Map<String, BigDecimal> defaults, Map<Integer, Map<String, BigDecimal>> byCode) {

    public RateCard {
        defaults = Map.copyOf(defaults);
        Map<Integer, Map<String, BigDecimal>> copy = new TreeMap<>();
        byCode.forEach((code, prices) -> copy.put(code, Map.copyOf(prices)));
        byCode = Map.copyOf(copy);
    }

    /**
     * Reads a rate card file (YAML, or JSON, which YAML includes).
     *
     * @throws RateCardException naming the file, line and field of every problem
     */
    public static RateCard read(Path file) {
        return RateCardFile.read(file);
    }

    /**
     * The price of one charged message of {@code category} to a recipient with {@code callingCode}: the calling
     * code's price for the category, else the category's default, else null (no price: left out of the estimate).
     */
    public BigDecimal price(Integer callingCode, String category) {
        if (category == null) {
            return null;
        }
        Map<String, BigDecimal> prices = callingCode == null ? null : byCode.get(callingCode);
        BigDecimal price = prices == null ? null : prices.get(category);
        return price != null ? price : defaults.get(category);
    }
}
