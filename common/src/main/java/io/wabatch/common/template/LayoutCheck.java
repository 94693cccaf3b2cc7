package io.wabatch.common.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.wabatch.common.template.TemplateDefinition.Button;
import io.wabatch.common.template.TemplateDefinition.Header;
import io.wabatch.common.template.TemplateDefinition.Layout;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Compares what a job gives one layout (the template's, or a card's) with what the layout takes. */
final class LayoutCheck {

    private LayoutCheck() {
    }

    /** Adds a sentence to {@code out}, starting with {@code label}, for every difference. */
    static void check(String label, Layout layout, JobTemplate.Layout given, boolean named, List<String> out) {
        header(label, layout.header(), given.header(), named, out);
        int takes = layout.body().size();
        if (given.body().size() != takes) {
            out.add(label + " body takes " + parameters(takes) + ", the job gives " + given.body().size());
        } else if (named) {
            names(label + " body", layout.body(), given.body(), out);
        }
        buttons(label, layout.buttons(), given, out);
    }

    private static void header(String label, Header header, List<JsonNode> given, boolean named, List<String> out) {
        int gives = given == null ? 0 : given.size();
        if (header == null) {
            if (gives > 0) {
                out.add(label + " has no header, the job gives a header with " + parameters(gives));
            }
            return;
        }
        if (header.text()) {
            int takes = header.placeholders().size();
            if (gives != takes) {
                out.add(label + " header takes " + parameters(takes) + ", the job gives " + gives);
            } else if (named && takes > 0) {
                names(label + " header", header.placeholders(), given, out);
            }
            return;
        }
        String media = header.format().toLowerCase(Locale.ROOT);
        if (!Set.of("image", "video", "document", "location", "product").contains(media)) {
            return; // a header format wabatch does not know is not held against a job
        }
        if (gives == 0) {
            out.add(label + " header is " + header.format() + ", the job gives no header parameter (give the "
                    + media + " as a header parameter of type " + media + ")");
        } else if (gives > 1) {
            out.add(label + " header takes 1 parameter (its " + media + "), the job gives " + gives);
        } else {
            String type = JobTemplate.lower(given.get(0).path("type"));
            if (!media.equals(type)) {
                out.add(label + " header is " + header.format() + ", the job gives a" + (type == null ? " parameter "
                        + "without type" : (startsWithVowel(type) ? "n " : " ") + type + " parameter"));
            }
        }
    }

    private static void buttons(String label, List<Button> buttons, JobTemplate.Layout given, List<String> out) {
        for (Button button : buttons) {
            if (button.min() > 0 && !given.buttons().containsKey(button.index())) {
                out.add(label + " " + describe(button) + " takes " + parameters(button.min()) + ", the job gives none");
            }
        }
        for (JobTemplate.Button gives : given.buttons().values()) {
            if (gives.index() >= buttons.size()) {
                out.add(label + " has " + count(buttons.size(), "button") + ", the job gives a button component "
                        + "with index " + gives.index());
                continue;
            }
            Button button = buttons.get(gives.index());
            if (gives.subType() != null && !button.subTypes().isEmpty() && !button.subTypes().contains(gives.subType())) {
                out.add(label + " " + describe(button) + " is a " + button.kind() + " button, the job gives a "
                        + gives.subType() + " button");
                continue;
            }
            int n = gives.parameters().size();
            if (n < button.min() || n > button.max()) {
                out.add(label + " " + describe(button) + " takes " + range(button) + ", the job gives " + n);
            }
        }
    }

    /** A named template's parameters must carry exactly its placeholders' names. */
    private static void names(String label, List<String> takes, List<JsonNode> given, List<String> out) {
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode parameter : given) {
            String name = TemplateDefinition.text(parameter.path("parameter_name"));
            if (name == null) {
                out.add(label + " takes named parameters (" + String.join(", ", takes) + "): give each its "
                        + "parameter_name");
                return;
            }
            names.add(name);
        }
        List<String> missing = new ArrayList<>(takes);
        missing.removeAll(names);
        List<String> unknown = new ArrayList<>(names);
        unknown.removeAll(takes);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            out.add(label + " takes parameters named " + String.join(", ", takes) + "; the job "
                    + (missing.isEmpty() ? "" : "lacks " + String.join(", ", missing))
                    + (!missing.isEmpty() && !unknown.isEmpty() ? " and " : "")
                    + (unknown.isEmpty() ? "" : "gives " + String.join(", ", unknown) + ", which the template does "
                    + "not have"));
        }
    }

    private static String describe(Button button) {
        return "button " + button.index() + " (" + button.kind() + (button.label() == null ? "" : " '"
                + button.label() + "'") + ")";
    }

    private static String range(Button button) {
        if (button.min() == button.max()) {
            return parameters(button.min());
        }
        return button.max() == Integer.MAX_VALUE ? "at least " + parameters(button.min())
                : button.min() + " to " + parameters(button.max());
    }

    static String parameters(int n) {
        return n == 0 ? "no parameters" : count(n, "parameter");
    }

    static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    private static boolean startsWithVowel(String word) {
        return !word.isEmpty() && "aeiou".indexOf(word.charAt(0)) >= 0;
    }
}
