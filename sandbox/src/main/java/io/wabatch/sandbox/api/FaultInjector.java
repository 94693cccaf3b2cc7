package io.wabatch.sandbox.api;

import io.vertx.ext.web.RoutingContext;
import io.wabatch.sandbox.api.rules.ApiError;

/**
 * Storms and random faults on {@code POST /messages}. A fault is counted in the number's
 * {@code faults_by_kind} and never in {@code rejected_by_code}; in {@code before_accept} mode nothing
 * else is recorded, in {@code after_accept} mode the message was recorded as accepted first.
 */
final class FaultInjector {

    private final SandboxRandom random;
    private final Storms storms = new Storms();
    private final HeldRequests held = new HeldRequests();
    private volatile Faults faults;

    /** The kinds a request may draw. */
    private enum Kind {
        HTTP500("http500"), TIMEOUT("timeout"), RESET("reset");

        private final String key;

        Kind(String key) {
            this.key = key;
        }
    }

    FaultInjector(Faults faults, Storm storm, SandboxRandom random) {
        this.faults = faults;
        this.random = random;
        if (storm != null) {
            storms.start(storm);
        }
    }

    Faults faults() {
        return faults;
    }

    void faults(Faults value) {
        faults = value;
    }

    Storms storms() {
        return storms;
    }

    /** Requests held by the {@code timeout} fault right now. */
    int heldRequests() {
        return held.count();
    }

    /**
     * Answers the request if a storm hits its number or it draws a {@code before_accept} fault.
     *
     * @return whether the request was taken over (the caller must not answer it)
     */
    boolean beforeAccept(RoutingContext ctx, NumberState number) {
        Storms.Active storm = storms.current(number.id());
        if (storm != null) {
            number.stats().fault("storm");
            Responses.json(ctx, storm.httpStatus(), ApiError.injected(storm.httpStatus(), storm.code()).toJson());
            return true;
        }
        return strike(ctx, number, FaultMode.BEFORE_ACCEPT, "");
    }

    /**
     * After the message was recorded: loses its answer if it draws an {@code after_accept} fault.
     *
     * @return whether the request was taken over (the caller must not answer it)
     */
    boolean afterAccept(RoutingContext ctx, NumberState number) {
        return strike(ctx, number, FaultMode.AFTER_ACCEPT, "_after_accept");
    }

    private boolean strike(RoutingContext ctx, NumberState number, FaultMode mode, String suffix) {
        Faults current = faults;
        if (current.mode() != mode || !current.any()) {
            return false;
        }
        Kind kind = draw(current);
        if (kind == null) {
            return false;
        }
        number.stats().fault(kind.key + suffix);
        switch (kind) {
            case HTTP500 -> Responses.json(ctx, 500, ApiError.somethingWentWrong("Message failed to send because"
                    + " of an unknown error. Please try again later. (injected by the sandbox)").toJson());
            case TIMEOUT -> held.hold(ctx, current.maxHold());
            case RESET -> HeldRequests.drop(ctx);
            default -> throw new IllegalStateException("unhandled fault " + kind);
        }
        return true;
    }

    private Kind draw(Faults current) {
        double u = random.faultDraw();
        if (u < current.http500()) {
            return Kind.HTTP500;
        }
        if (u < current.http500() + current.timeout()) {
            return Kind.TIMEOUT;
        }
        if (u < current.http500() + current.timeout() + current.reset()) {
            return Kind.RESET;
        }
        return null;
    }
}
