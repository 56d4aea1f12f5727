package com.fcminiapp.session.sts;

import com.aliyuncs.DefaultAcsClient;
import com.aliyuncs.IAcsClient;
import com.aliyuncs.auth.AlibabaCloudCredentials;
import com.aliyuncs.auth.AlibabaCloudCredentialsProvider;
import com.aliyuncs.auth.BasicCredentials;
import com.aliyuncs.auth.BasicSessionCredentials;
import com.aliyuncs.exceptions.ClientException;
import com.aliyuncs.http.HttpClientConfig;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.profile.DefaultProfile;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.aliyuncs.sts.model.v20150401.AssumeRoleResponse;
import com.fcminiapp.common.config.SessionConfig;
import com.fcminiapp.common.credentials.RoleCredentials;
import com.fcminiapp.common.error.ApiException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** AssumeRole through aliyun-java-sdk-sts, signed with the function's execution-role credentials. */
public final class StsCredentialIssuer implements CredentialIssuer {

    private final IAcsClient client;
    private final String roleArn;
    private final String policy;
    private final String endpointHost;
    private final ProtocolType protocol;

    /**
     * @param endpoint {@code host[:port]} (HTTPS) or {@code http://host:port}
     */
    public StsCredentialIssuer(IAcsClient client, String roleArn, String policy, String endpoint) {
        this.client = client;
        this.roleArn = roleArn;
        this.policy = policy;
        boolean plainHttp = endpoint.startsWith("http://");
        this.protocol = plainHttp ? ProtocolType.HTTP : ProtocolType.HTTPS;
        this.endpointHost = endpoint.replaceFirst("^https?://", "").replaceAll("/+$", "");
    }

    /** The instance's STS client: credentials read per request from {@code credentials}. */
    public static IAcsClient createClient(SessionConfig config, RoleCredentials credentials) {
        DefaultProfile profile = DefaultProfile.getProfile(config.region());
        HttpClientConfig http = HttpClientConfig.getDefault();
        long timeoutMillis = config.tablestore().upstreamTimeout().toMillis();
        http.setConnectionTimeoutMillis(timeoutMillis);
        http.setReadTimeoutMillis(timeoutMillis);
        profile.setHttpClientConfig(http);
        AlibabaCloudCredentialsProvider provider = () -> {
            RoleCredentials.Key key = credentials.current();
            AlibabaCloudCredentials c = key.securityToken() == null
                    ? new BasicCredentials(key.accessKeyId(), key.accessKeySecret())
                    : new BasicSessionCredentials(key.accessKeyId(), key.accessKeySecret(), key.securityToken());
            return c;
        };
        DefaultAcsClient client = new DefaultAcsClient(profile, provider);
        // a failed AssumeRole is answered UPSTREAM_UNAVAILABLE and the client retries; no silent retry here
        client.setAutoRetry(false);
        return client;
    }

    @Override
    public TemporaryCredentials issue(String uid, Duration duration) {
        AssumeRoleRequest request = new AssumeRoleRequest();
        request.setSysEndpoint(endpointHost);
        request.setSysProtocol(protocol);
        request.setRoleArn(roleArn);
        request.setRoleSessionName(RoleSessionNames.forUid(uid));
        request.setDurationSeconds(duration.getSeconds());
        request.setPolicy(policy);
        AssumeRoleResponse response;
        try {
            response = client.getAcsResponse(request);
        } catch (ClientException | RuntimeException e) {
            throw ApiException.upstream("STS", e);
        }
        AssumeRoleResponse.Credentials c = response == null ? null : response.getCredentials();
        if (c == null || c.getAccessKeyId() == null || c.getSecurityToken() == null) {
            throw ApiException.upstream("STS", null);
        }
        Instant expiration;
        try {
            expiration = Instant.parse(c.getExpiration());
        } catch (DateTimeParseException | NullPointerException e) {
            throw ApiException.upstream("STS", e);
        }
        return new TemporaryCredentials(c.getAccessKeyId(), c.getAccessKeySecret(), c.getSecurityToken(), expiration);
    }
}
