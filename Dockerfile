# One container: the SDK image builds, the ASP.NET runtime image runs.
# First version; the container issue adds a non-root user, health check and the data volume.
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0

FROM ${SDK_IMAGE} AS build
WORKDIR /src
COPY SagaEngine.csproj ./
RUN dotnet restore SagaEngine.csproj
COPY . .
RUN dotnet publish SagaEngine.csproj -c Release -o /app --no-restore

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build /app .
# Inside a container the host listens on every interface, not only loopback.
ENV Urls=http://0.0.0.0:8080
EXPOSE 8080
ENTRYPOINT ["dotnet", "SagaEngine.dll"]
