package com.fcminiapp.kit.runtime;

import com.aliyun.fc.runtime.Context;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.fc.InstanceClients;

import java.time.Clock;
import java.util.Map;

/**
 * How one function is assembled when its instance starts: it reads its configuration out of {@code env}, builds its
 * SDK clients signing with {@code credentials} and registers each in {@code clients} (shut down at PreStop, or at
 * once when the assembly fails half way), and returns what serves the requests.
 */
@FunctionalInterface
public interface Assembly<F> {

    /** @param context the initializer's (or the first request's) context: service name, function params */
    F assemble(Map<String, String> env, RoleCredentials credentials, InstanceClients clients, Context context,
               Clock clock);
}
