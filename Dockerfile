# One container: the SDK image builds, the ASP.NET runtime image runs the host as a non-root user.
# Everything is configured by environment variables (`docker run -e Section__Key=value`, see README "Container").
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
# The publish arguments live here and only here: Tests/SagaEngine.Tests/Host/Container_Specs.cs runs this
# stage's commands with them (the benchmark publishes its host with the same, Bench/Hosting/HostBuild.cs).
# Framework-dependent (the runtime image brings ASP.NET Core), for one platform: ReadyToRun, so the host
# starts with its code already compiled rather than JIT-compiling it under its first load; tiered
# compilation and tiered PGO on (the runtime's defaults), so the methods that turn out hot are compiled
# again, optimised with what they were seen to do: about a quarter less CPU per order than without PGO, for
# a JIT that settles after one to two minutes under load instead of one (docs/benchmarks.md has the figures).
# No native launcher, the entry point is `dotnet`.
ARG RUNTIME_ID=linux-x64
ARG PUBLISH_ARGS="-c Release --no-restore -p:UseAppHost=false --self-contained false -p:PublishReadyToRun=true"
WORKDIR /src
# Restore first, from the project file alone, so that a source change reuses the cached package layer
# (the runtime identifier and ReadyToRun bring the platform's packs and the ReadyToRun compiler).
COPY SagaEngine.csproj ./
RUN dotnet restore SagaEngine.csproj -r ${RUNTIME_ID} -p:PublishReadyToRun=true
COPY . .
RUN dotnet publish SagaEngine.csproj ${PUBLISH_ARGS} -r ${RUNTIME_ID} -o /app

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /app .

# The SQLite database (the default provider) lives on a volume, in a folder the non-root user owns;
# a named volume mounted there takes over that ownership. With Database__Provider=Postgres it stays empty.
RUN mkdir /data && chown "$APP_UID" /data
ENV Database__SqlitePath=/data/sagaengine.db
VOLUME /data

# Listen on every interface: appsettings.json's default (127.0.0.1) is unreachable from outside a container.
# The base image's ASPNETCORE_HTTP_PORTS is cleared so that Urls alone decides (Kestrel warns when both are set).
ENV Urls=http://0.0.0.0:8080
ENV ASPNETCORE_HTTP_PORTS=
EXPOSE 8080

# The image's unprivileged `app` user, by number (as Kubernetes' runAsNonRoot wants it).
USER $APP_UID

# The runtime image has no curl: the host's own `healthcheck` command asks /health/live on the port Urls names.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["dotnet", "/app/SagaEngine.dll", "healthcheck"]

ENTRYPOINT ["dotnet", "/app/SagaEngine.dll"]
