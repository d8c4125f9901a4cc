using System;
using System.Net;
using System.Security;
using Xunit;

namespace CloudflareAI.Tests.Chat
{
    public class ChatSettingsTests
    {
        [Fact]
        public void OptionsNotGivenAreNotSent()
        {
            var request = new ChatSettings().Request("m", new ChatMessage[0], "hi");
            Assert.Null(request.Temperature);
            Assert.Null(request.TopP);
            Assert.Null(request.MaxTokens);
            Assert.Null(request.Stop);
            Assert.Null(request.Seed);
            Assert.False(request.Stream);
        }

        [Fact]
        public void OptionsGivenAreSentAsGiven()
        {
            var settings = new ChatSettings { Temperature = 0, TopP = 0.5, MaxTokens = 7, Stop = new[] { "END" }, Seed = 0, Stream = true };
            var request = settings.Request("m", new ChatMessage[0], "hi");
            Assert.Equal(0, request.Temperature);
            Assert.Equal(0.5, request.TopP);
            Assert.Equal(7, request.MaxTokens);
            Assert.Equal(new[] { "END" }, request.Stop);
            Assert.Equal(0, request.Seed);
            Assert.True(request.Stream);
        }

        [Fact]
        public void TheSystemPromptComesFirstTheHistoryNextAndThePromptLast()
        {
            var settings = new ChatSettings { SystemPrompt = "be brief" };
            var history = new[] { new ChatMessage("user", "a"), new ChatMessage("assistant", "b") };
            var request = settings.Request("model-x", history, "c");
            Assert.Equal("model-x", request.Model);
            Assert.Equal(new[] { "system", "user", "assistant", "user" }, Roles(request));
            Assert.Equal("be brief", request.Messages[0].Content);
            Assert.Equal("c", request.Messages[3].Content);
        }

        [Fact]
        public void StreamWithMoreThanOnePlaceIsRefusedWithItsOwnId()
        {
            var e = Assert.Throws<CloudflareAIException>(() => new ChatSettings { Stream = true, ThrottleLimit = 2 }.Validate());
            Assert.Equal(ErrorIds.StreamWithThrottleLimit, e.ErrorId);
            Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
            Assert.Equal(2, e.Target);
            Assert.False(string.IsNullOrWhiteSpace(e.RecommendedAction));
            new ChatSettings { Stream = true }.Validate();
            new ChatSettings { ThrottleLimit = 8 }.Validate();
        }

        [Fact]
        public void OverridesCarryTheTokenAsTextAndTheGatewayControls()
        {
            var key = new SecureString();
            foreach (char c in "fake-token-123") key.AppendChar(c);
            var settings = new ChatSettings { ApiKey = key };
            settings.Endpoint.Provider = "openai";
            settings.Endpoint.Model = "m";
            settings.Endpoint.BaseUrl = "http://127.0.0.1:1/v1";
            settings.Gateway.SkipCache = true;
            var overrides = settings.Overrides();
            Assert.Equal("openai", overrides.Provider);
            Assert.Equal("m", overrides.Model);
            Assert.Equal("http://127.0.0.1:1/v1", overrides.BaseUrl);
            Assert.Equal("fake-token-123", overrides.ApiKey);
            Assert.True(overrides.Gateway!.SkipCache);
            Assert.Null(new ChatSettings().Overrides().ApiKey);
        }

        [Fact]
        public void CallOptionsTakeTheLimitsInTheirUnitsAndTheGate()
        {
            var settings = new ChatSettings { TimeoutSec = 7, MaxRetries = 0, MaxResponseMB = 2 };
            var batch = settings.Batch(null);
            var options = settings.CallOptions(batch, reportVerbose: false, reportDebug: true);
            Assert.Equal(TimeSpan.FromSeconds(7), options.Timeout);
            Assert.Equal(0, options.MaxRetries);
            Assert.Equal(2L * 1024 * 1024, options.MaxResponseBytes);
            Assert.False(options.ReportVerbose);
            Assert.True(options.ReportDebug);
            Assert.Same(batch, options.Scheduler);
        }

        [Fact]
        public void TheDefaultsAreTheDocumentedOnes()
        {
            var settings = new ChatSettings();
            Assert.Equal(1, settings.ThrottleLimit);
            Assert.Equal(300, settings.TimeoutSec);
            Assert.Equal(3, settings.MaxRetries);
            Assert.Equal(32, settings.MaxResponseMB);
            Assert.Null(settings.RequestsPerMinute);
            Assert.False(settings.Gateway.Any);
        }

        [Fact]
        public void AFailedResolutionShowsTheGivenTemplateWithSecretsMasked()
        {
            var environment = new DictionaryEnvironmentReader();
            var key = new SecureString();
            foreach (char c in "fake-token-123") key.AppendChar(c);
            var settings = new ChatSettings { ApiKey = key };
            settings.Endpoint.BaseUrl = "https://example.test/fake-token-123/${MISSING}/v1";
            Assert.Equal("Base URL template 'https://example.test/***/${MISSING}/v1'.", settings.FailedTemplateLine(settings.Overrides(), environment));
            Assert.Null(new ChatSettings().FailedTemplateLine(new ChatSettings().Overrides(), environment));
        }

        private static string[] Roles(ChatRequest request)
        {
            var roles = new string[request.Messages.Count];
            for (int i = 0; i < roles.Length; i++) roles[i] = request.Messages[i].Role;
            return roles;
        }
    }
}
