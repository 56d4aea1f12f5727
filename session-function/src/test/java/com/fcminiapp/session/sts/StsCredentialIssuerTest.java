package com.fcminiapp.session.sts;

import com.aliyuncs.IAcsClient;
import com.aliyuncs.http.ProtocolType;
import com.aliyuncs.sts.model.v20150401.AssumeRoleRequest;
import com.aliyuncs.sts.model.v20150401.AssumeRoleResponse;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** The exact AssumeRole request the STS SDK is given. */
class StsCredentialIssuerTest {

    @Test
    void assumeRoleCarriesTheRolePolicyDurationAndSessionName() throws Exception {
        IAcsClient client = mock(IAcsClient.class);
        AssumeRoleResponse response = new AssumeRoleResponse();
        AssumeRoleResponse.Credentials credentials = new AssumeRoleResponse.Credentials();
        credentials.setAccessKeyId("STS.key");
        credentials.setAccessKeySecret("secret");
        credentials.setSecurityToken("token");
        credentials.setExpiration("2026-11-25T13:00:00Z");
        response.setCredentials(credentials);
        when(client.getAcsResponse(any(AssumeRoleRequest.class))).thenReturn(response);
        String policy = InvokePolicy.forDbFunction("cn-hangzhou", "42", "svc", "db");
        StsCredentialIssuer issuer = new StsCredentialIssuer(client, "acs:ram::42:role/invoke", policy,
                "sts.cn-hangzhou.aliyuncs.com");

        TemporaryCredentials issued = issuer.issue("2088102175923442", Duration.ofSeconds(1800));

        ArgumentCaptor<AssumeRoleRequest> captor = ArgumentCaptor.forClass(AssumeRoleRequest.class);
        verify(client).getAcsResponse(captor.capture());
        AssumeRoleRequest request = captor.getValue();
        assertThat(request.getRoleArn()).isEqualTo("acs:ram::42:role/invoke");
        assertThat(request.getPolicy()).isEqualTo(policy);
        assertThat(request.getDurationSeconds()).isEqualTo(1800L);
        assertThat(request.getRoleSessionName()).isEqualTo("u-2088102175923442");
        assertThat(request.getSysProtocol()).isEqualTo(ProtocolType.HTTPS);
        assertThat(issued.accessKeyId()).isEqualTo("STS.key");
        assertThat(issued.expiration()).isEqualTo(Instant.parse("2026-11-25T13:00:00Z"));
    }
}
