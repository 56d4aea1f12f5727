package com.fcminiapp.localcloud.testing;

/** Templates whose functions are the fixture echo jar ({@code echo.jar}, see TestFunctionJar), for local-cloud tests. */
public final class EchoTemplates {

    /** Service {@code svc}: {@code session} with an anonymous POST HTTP trigger, and {@code db}. */
    public static final String SESSION_AND_DB = String.join("\n",
            "ROSTemplateFormatVersion: '2015-09-01'",
            "Transform: 'Aliyun::Serverless-2018-04-03'",
            "Resources:",
            "  svc:",
            "    Type: 'Aliyun::Serverless::Service'",
            "    session:",
            "      Type: 'Aliyun::Serverless::Function'",
            "      Properties: {Runtime: java11, CodeUri: echo.jar, Handler: demo.Echo::handleRequest}",
            "      Events:",
            "        http: {Type: HTTP, Properties: {AuthType: ANONYMOUS, Methods: ['POST']}}",
            "    db:",
            "      Type: 'Aliyun::Serverless::Function'",
            "      Properties: {Runtime: java11, CodeUri: echo.jar, Handler: demo.Echo::handleRequest}");

    private EchoTemplates() {
    }
}
