package io.wabatch.common.config;

/** The default port of each service's metrics and health endpoint ({@code ops.port}): distinct, so all share a host. */
public final class ServicePorts {

    public static final int UPLOAD = 9401;
    public static final int SENDER = 9402;
    public static final int WEBHOOK = 9404;
    public static final int FUNNEL = 9405;

    private ServicePorts() {
    }
}
