package io.wabatch.funnel.cost;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a rate card file (YAML, or JSON, which YAML includes):
 *
 * <pre>
 * currency: EUR                  # ISO 4217, required
 * default:                       # price per category for calling codes not listed below
 *   marketing: 0.0615
 *   utility: 0.0248
 *   authentication: 0.0248
 * calling_codes:                 # per country calling code (the digits, "+49" also taken)
 *   "49":
 *     marketing: 0.1365
 *     utility: 0.0550
 *   "1":
 *     marketing: 0.0250
 * </pre>
 *
 * Prices are per charged message, decimal numbers of at least 0 (read exactly, no binary rounding).
 * Categories are lower-case names ({@code marketing_lite}, {@code authentication_international}, ...).
 * Every problem is reported, each with the file, its line and the field; an unknown top-level field is one
 * (a misspelt {@code defaults} must not silently price nothing).
 */
final class RateCardFile {

    private static final YAMLFactory YAML_FACTORY = new YAMLFactory();
    private static final ObjectMapper YAML = new ObjectMapper(YAML_FACTORY)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Set<String> FIELDS = Set.of("currency", "default", "calling_codes");
    private static final Pattern CALLING_CODE = Pattern.compile("\\+?[1-9][0-9]{0,2}");
    private static final Pattern CATEGORY = Pattern.compile("[a-z][a-z0-9_]*");

    private final Path file;
    private final Map<String, Integer> lines;
    private final List<String> problems = new ArrayList<>();

    private RateCardFile(Path file, Map<String, Integer> lines) {
        this.file = file;
        this.lines = lines;
    }

    static RateCard read(Path file) {
        JsonNode root;
        Map<String, Integer> lines;
        try {
            root = YAML.readTree(file.toFile());
            lines = lines(file);
        } catch (JsonProcessingException e) {
            throw new RateCardException(List.of("rate card " + file + " line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": not YAML or JSON: " + e.getOriginalMessage()));
        } catch (IOException e) {
            throw new RateCardException(List.of("cannot read rate card " + file + ": " + e.getMessage()));
        }
        return new RateCardFile(file, lines).card(root);
    }

    private RateCard card(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new RateCardException(List.of("rate card " + file + ": expected a mapping with 'currency', "
                    + "'default' and 'calling_codes'"));
        }
        root.fieldNames().forEachRemaining(field -> {
            if (!FIELDS.contains(field)) {
                problem("/" + field, field, "unknown field (expected currency, default, calling_codes)");
            }
        });
        String currency = currency(root.get("currency"));
        Map<String, BigDecimal> defaults = prices(root.get("default"), "default");
        Map<Integer, Map<String, BigDecimal>> byCode = byCode(root.get("calling_codes"));
        if (problems.isEmpty() && defaults.isEmpty() && byCode.values().stream().allMatch(Map::isEmpty)) {
            problem("", "default", "no price at all: give 'default' or 'calling_codes' prices per category");
        }
        if (!problems.isEmpty()) {
            throw new RateCardException(problems);
        }
        return new RateCard(currency, defaults, byCode);
    }

    private String currency(JsonNode node) {
        if (node == null || !node.isTextual()) {
            problem("/currency", "currency", "required: the ISO 4217 code of the prices, e.g. EUR"
                    + (node == null ? "" : ", got " + node));
            return null;
        }
        String code = node.textValue().strip();
        try {
            return Currency.getInstance(code).getCurrencyCode();
        } catch (IllegalArgumentException e) {
            problem("/currency", "currency", "'" + code + "' is not an ISO 4217 currency code (e.g. EUR, USD, INR)");
            return null;
        }
    }

    private Map<Integer, Map<String, BigDecimal>> byCode(JsonNode node) {
        Map<Integer, Map<String, BigDecimal>> byCode = new TreeMap<>();
        if (node == null || node.isNull()) {
            return byCode;
        }
        if (!node.isObject()) {
            problem("/calling_codes", "calling_codes", "must map calling codes to prices, got " + node.getNodeType());
            return byCode;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String key = entry.getKey().strip();
            String field = "calling_codes." + key;
            if (!CALLING_CODE.matcher(key).matches()) {
                problem("/calling_codes/" + entry.getKey(), field,
                        "not a country calling code (1 to 3 digits, e.g. 49 or +49)");
                continue;
            }
            int code = Integer.parseInt(key.startsWith("+") ? key.substring(1) : key);
            if (byCode.containsKey(code)) {
                problem("/calling_codes/" + entry.getKey(), field, "calling code " + code + " is listed twice");
            }
            byCode.put(code, prices(entry.getValue(), field));
        }
        return byCode;
    }

    private Map<String, BigDecimal> prices(JsonNode node, String field) {
        Map<String, BigDecimal> prices = new TreeMap<>();
        String pointer = "/" + field.replace('.', '/');
        if (node == null || node.isNull()) {
            return prices;
        }
        if (!node.isObject()) {
            problem(pointer, field, "must map pricing categories to prices, got " + node.getNodeType());
            return prices;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String category = entry.getKey();
            String where = field + "." + category;
            JsonNode value = entry.getValue();
            if (!CATEGORY.matcher(category).matches()) {
                problem(pointer + "/" + category, where,
                        "not a pricing category (lower-case, e.g. marketing, marketing_lite, utility)");
            } else if (!value.isNumber() || value.decimalValue().signum() < 0) {
                problem(pointer + "/" + category, where, "the price must be a number of at least 0, got "
                        + (value.isTextual() ? "'" + value.textValue() + "'" : value.toString()));
            } else {
                prices.put(category, value.decimalValue().stripTrailingZeros());
            }
        }
        return prices;
    }

    private void problem(String pointer, String field, String message) {
        Integer line = lines.get(pointer);
        problems.add("rate card " + file + (line == null ? "" : " line " + line) + ", " + field + ": " + message);
    }

    /** The line of each field, by JSON pointer ({@code /calling_codes/49/marketing}). */
    private static Map<String, Integer> lines(Path file) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = YAML_FACTORY.createParser(file.toFile())) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token == JsonToken.FIELD_NAME) {
                    lines.putIfAbsent(parser.getParsingContext().pathAsPointer().toString(),
                            parser.currentTokenLocation().getLineNr());
                }
            }
        }
        return lines;
    }
}
