package io.wabatch.upload.template;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.wabatch.common.contract.CampaignJob;
import io.wabatch.common.template.TemplateCatalogue;
import io.wabatch.common.template.TemplateChecker;
import io.wabatch.common.template.TemplateLookup;
import io.wabatch.common.template.TemplateProblem;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Decides, before any of its media is fetched, whether a template job can succeed: checked against
 * the catalogue of its channel's account when that account has one that is not stale; otherwise it
 * passes unchecked, as before the catalogue existed. A job that fails its check has its account
 * listed again first (at most every {@link TemplateTimes#refreshMinInterval()}), so a template created,
 * approved or edited since the last listing is judged by the API's current word.
 */
public final class TemplateGate {

    /** How a template job was judged, for the worker's metric. */
    public enum Result { PASSED, FAILED, UNCHECKED }

    private final TemplateCatalogue catalogue;
    private final Function<String, String> accountOfChannel;
    private final CatalogueRefresh refresh;
    private final Duration staleAfter;
    private final Clock clock;
    private final Consumer<Result> counted;

    /**
     * @param accountOfChannel the {@code waba_id} of a channel id, or null when it has none
     * @param counted          told how each template job was judged
     */
    public TemplateGate(TemplateCatalogue catalogue, Function<String, String> accountOfChannel,
                        CatalogueRefresh refresh, Duration staleAfter, Clock clock, Consumer<Result> counted) {
        this.catalogue = catalogue;
        this.accountOfChannel = accountOfChannel;
        this.refresh = refresh;
        this.staleAfter = staleAfter;
        this.clock = clock;
        this.counted = counted;
    }

    /** Why the job cannot succeed, or empty when it can or is not checked. Never fails. */
    public Future<Optional<TemplateProblem>> check(CampaignJob job) {
        if (!"template".equals(job.type())) {
            return Future.succeededFuture(Optional.empty());
        }
        String account = accountOfChannel.apply(job.channel());
        JsonNode template = job.message().path("template");
        Optional<TemplateLookup> lookup = usable(account);
        if (lookup.isEmpty()) {
            return judged(Result.UNCHECKED, Optional.empty());
        }
        Optional<TemplateProblem> problem = TemplateChecker.check(template, lookup.get());
        if (problem.isEmpty()) {
            return judged(Result.PASSED, problem);
        }
        return refresh.refreshIfDue(account).compose(listed -> {
            if (!listed) {
                return judged(Result.FAILED, problem);
            }
            Optional<TemplateLookup> again = usable(account);
            if (again.isEmpty()) {
                return judged(Result.UNCHECKED, Optional.empty());
            }
            Optional<TemplateProblem> now = TemplateChecker.check(template, again.get());
            return judged(now.isPresent() ? Result.FAILED : Result.PASSED, now);
        });
    }

    /** The account's catalogue, if it has one listed within the staleness limit. */
    private Optional<TemplateLookup> usable(String account) {
        if (account == null) {
            return Optional.empty();
        }
        return catalogue.account(account)
                .filter(a -> a.syncedAt() != null && clock.instant().isBefore(a.syncedAt().plus(staleAfter)))
                .flatMap(a -> catalogue.lookup(account));
    }

    private Future<Optional<TemplateProblem>> judged(Result result, Optional<TemplateProblem> problem) {
        counted.accept(result);
        return Future.succeededFuture(problem);
    }
}
