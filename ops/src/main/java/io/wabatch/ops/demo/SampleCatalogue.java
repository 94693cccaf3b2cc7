package io.wabatch.ops.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.wabatch.common.channel.Channel;
import io.wabatch.common.channel.ChannelRegistry;
import io.wabatch.common.contract.Json;
import io.wabatch.sandbox.api.SandboxServer;
import io.wabatch.upload.UploadWorker;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's template catalogue: exactly the templates {@link SampleCampaign} sends, with their languages,
 * categories and components taking the parameters and cards its jobs give, in the shape of Meta's
 * {@code GET /{waba-id}/message_templates}, bundled as {@value #RESOURCE}. With
 * {@link DemoOptions#sampleCatalogue()} the stack puts it in each channel's sandbox account, which then
 * enforces it as the API does, and has the upload worker list those accounts, so every template job is
 * checked against it before its media are fetched.
 */
public final class SampleCatalogue {

    /** The catalogue, a resource of this package. */
    public static final String RESOURCE = "sample-templates.json";

    private SampleCatalogue() {
    }

    /** The templates: a JSON array in Meta's shape, a fresh copy. */
    public static ArrayNode templates() {
        try (InputStream in = SampleCatalogue.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo's template catalogue " + RESOURCE + " is missing");
            }
            JsonNode node = Json.mapper().readTree(in);
            if (!(node instanceof ArrayNode array)) {
                throw new IllegalStateException("the demo's template catalogue " + RESOURCE + " is not an array");
            }
            return array;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo's template catalogue " + RESOURCE, e);
        }
    }

    /**
     * Gives the sandbox account of every channel with a {@code waba_id} these templates.
     *
     * @return those accounts, sorted: the upload worker's {@code templates.accounts}
     */
    static List<String> install(SandboxServer sandbox, ChannelRegistry registry) {
        List<String> accounts = registry.all().stream().map(Channel::wabaId).filter(Objects::nonNull).distinct()
                .sorted().toList();
        String json = templates().toString();
        accounts.forEach(account -> sandbox.setTemplates(account, json));
        return accounts;
    }

    /**
     * Blocks until the upload worker holds a complete listing of every account (joining the listing it
     * started with), so the campaign's first jobs are checked rather than passed unchecked because their
     * account is not listed yet. Not on an event loop.
     *
     * @throws IllegalStateException naming the account when its listing fails or does not end in time
     */
    static void awaitListed(UploadWorker worker, List<String> accounts, Duration timeout) {
        for (String account : accounts) {
            try {
                worker.templateRefresh().refresh(account).toCompletionStage().toCompletableFuture()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the templates of account " + account + " were not listed: "
                        + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the templates of account " + account + " were not listed within "
                        + timeout, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the templates of account " + account
                        + " were listed", e);
            }
        }
    }
}
