package com.fcminiapp.kit.runtime;

import com.aliyun.fc.runtime.Context;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.fc.InstanceClients;

import java.time.Clock;
import java.util.Map;

/**
 * One instance's assembled function with the execution credentials its clients sign with and the clients to shut
 * down when the instance stops.
 */
public final class BuiltFunction<F> implements AutoCloseable {

    private final RoleCredentials credentials;
    private final F function;
    private final InstanceClients clients;

    /** A function around collaborators built elsewhere (tests); closing it closes nothing. */
    public BuiltFunction(RoleCredentials credentials, F function) {
        this(credentials, function, new InstanceClients());
    }

    private BuiltFunction(RoleCredentials credentials, F function, InstanceClients clients) {
        this.credentials = credentials;
        this.function = function;
        this.clients = clients;
    }

    /**
     * Assembles the function with the credentials of {@code context}. A failure half way shuts down the clients
     * already built and is thrown (the next call builds again).
     */
    public static <F> BuiltFunction<F> build(Map<String, String> env, Context context, Clock clock,
                                             Assembly<F> assembly) {
        RoleCredentials credentials = new RoleCredentials();
        credentials.refreshFrom(context);
        InstanceClients clients = new InstanceClients();
        try {
            return new BuiltFunction<>(credentials, assembly.assemble(env, credentials, clients, context, clock),
                    clients);
        } catch (RuntimeException | Error e) {
            clients.closeAfter(e);
            throw e;
        }
    }

    /** The function, with the execution credentials of this invocation taken in first (FC rotates them). */
    public F function(Context context) {
        credentials.refreshFrom(context);
        return function;
    }

    /** Shuts down every client the assembly built. */
    @Override
    public void close() {
        clients.close();
    }
}
