package com.fcminiapp.kit.internal.oss;

import com.aliyun.oss.ClientBuilderConfiguration;
import com.aliyun.oss.OSS;
import com.aliyun.oss.OSSClientBuilder;
import com.aliyun.oss.common.auth.Credentials;
import com.aliyun.oss.common.auth.CredentialsProvider;
import com.aliyun.oss.common.auth.DefaultCredentials;
import com.aliyun.oss.common.comm.SignVersion;
import com.fcminiapp.common.credentials.RoleCredentials;

import java.net.URI;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Builds the instance's OSS clients, signing with the function's execution-role credentials read at each request,
 * and derives the bucket's public URL from an endpoint.
 */
public final class OssClients {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    /**
     * The SDK logs failed calls on its own (commons-logging, falling back to java.util.logging), outside the FC
     * logger; an error body can quote the string to sign, security token included. Held here so it stays off.
     */
    private static final Logger SDK_LOG = Logger.getLogger("com.aliyun.oss");

    static {
        SDK_LOG.setLevel(Level.OFF);
    }

    private OssClients() {
    }

    /** A client on {@code endpoint} (OSS_ENDPOINT for calls, OSS_PUBLIC_ENDPOINT for URLs handed to clients). */
    public static OSS create(String endpoint, Duration timeout, RoleCredentials credentials) {
        int timeoutMillis = (int) timeout.toMillis();
        ClientBuilderConfiguration conf = new ClientBuilderConfiguration();
        conf.setConnectionTimeout(timeoutMillis);
        conf.setSocketTimeout(timeoutMillis);
        conf.setConnectionRequestTimeout(timeoutMillis);
        // a failed call is answered UPSTREAM_UNAVAILABLE and the client retries; one quick SDK retry at most
        conf.setMaxErrorRetry(1);
        conf.setSignatureVersion(SignVersion.V1);
        // an IP or localhost endpoint has no bucket subdomains: path style, as the public URL below
        conf.setSLDEnabled(isPathStyle(URI.create(endpoint).getHost()));
        return new OSSClientBuilder().build(endpoint, new RoleCredentialsProvider(credentials), conf);
    }

    /**
     * The URL of {@code bucket} on {@code endpoint}: {@code http://127.0.0.1:9000/bucket} for an IP or localhost
     * endpoint (path style), {@code https://bucket.oss-cn-hangzhou.aliyuncs.com} otherwise (virtual host).
     */
    public static String bucketUrl(String endpoint, String bucket) {
        URI uri = URI.create(endpoint);
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        String host = uri.getHost();
        if (isPathStyle(host)) {
            return scheme + "://" + host + port + "/" + bucket;
        }
        return scheme + "://" + bucket + "." + host + port;
    }

    static boolean isPathStyle(String host) {
        return host != null && (IPV4.matcher(host).matches() || host.startsWith("[")
                || host.equalsIgnoreCase("localhost"));
    }

    /** Hands the SDK whatever key the holder has at the moment of each request. */
    static final class RoleCredentialsProvider implements CredentialsProvider {
        private final RoleCredentials credentials;

        RoleCredentialsProvider(RoleCredentials credentials) {
            this.credentials = credentials;
        }

        @Override
        public void setCredentials(Credentials ignored) {
            // the FC context is the only source of keys
        }

        @Override
        public Credentials getCredentials() {
            RoleCredentials.Key key = credentials.current();
            return key.securityToken() == null
                    ? new DefaultCredentials(key.accessKeyId(), key.accessKeySecret())
                    : new DefaultCredentials(key.accessKeyId(), key.accessKeySecret(), key.securityToken());
        }
    }
}
