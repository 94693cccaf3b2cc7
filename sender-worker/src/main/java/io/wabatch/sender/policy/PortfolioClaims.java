package io.wabatch.sender.policy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a message claims its places in its portfolio's budgets ({@link PortfolioBudget}): in production
 * the claims log every sender follows ({@link PortfolioBook}); in a single process's unit tests, the same
 * state machine applied at once ({@link #inMemory()}).
 */
public interface PortfolioClaims {

    /** The claim's verdict, once the claim has its place in the order all senders agree on. */
    CompletionStage<PortfolioBudget.Verdict> claim(PortfolioBudget.Entry claim);

    /** A counted user's message was accepted: their tier place counts from then. Fire and forget. */
    void accepted(PortfolioBudget.Entry accepted);

    /** The budgets of one process, in the order of its calls (what a log with one writer would give). */
    static PortfolioClaims inMemory() {
        PortfolioBudget budget = new PortfolioBudget();
        return new PortfolioClaims() {
            @Override
            public synchronized CompletionStage<PortfolioBudget.Verdict> claim(PortfolioBudget.Entry claim) {
                return CompletableFuture.completedFuture(budget.apply(claim));
            }

            @Override
            public synchronized void accepted(PortfolioBudget.Entry accepted) {
                budget.apply(accepted);
            }
        };
    }
}
