package io.wabatch.common.template;

/**
 * Keys of the catalogue topic: {@code <waba_id>/<name>/<language>} for a template (its value the
 * definition as listed; a tombstone when it was deleted), {@code <waba_id>} for the account's record
 * (written after every complete listing; its presence is what makes an account's jobs checked).
 * Template names are {@code [a-z0-9_]} and language codes {@code [A-Za-z_]}, so {@code /} separates
 * them unambiguously.
 */
public final class TemplateKeys {

    private TemplateKeys() {
    }

    public static String template(String wabaId, String name, String language) {
        return wabaId + "/" + name + "/" + language;
    }

    public static String account(String wabaId) {
        return wabaId;
    }

    /** The account a key belongs to. */
    public static String accountOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? key : key.substring(0, slash);
    }

    /** True for an account record's key. */
    public static boolean isAccount(String key) {
        return key.indexOf('/') < 0;
    }
}
