# syntax=docker/dockerfile:1
# HeadlessLoyalty API image. Build from the repository root:  docker build -t headlessloyalty-api .

# ---- build ----
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first, from the project files only, so the package layer is cached until a csproj changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/HeadlessLoyalty.Api/HeadlessLoyalty.Api.csproj src/HeadlessLoyalty.Api/
COPY src/HeadlessLoyalty.GraphQL/HeadlessLoyalty.GraphQL.csproj src/HeadlessLoyalty.GraphQL/
RUN dotnet restore src/HeadlessLoyalty.Api/HeadlessLoyalty.Api.csproj
COPY src/ src/
RUN dotnet publish src/HeadlessLoyalty.Api/HeadlessLoyalty.Api.csproj -c Release --no-restore -o /app/publish \
    -p:UseAppHost=false

# ---- runtime ----
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
# curl for the HEALTHCHECK only (the aspnet image ships without it).
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /app/publish .
# The embedded SQLite default writes under /app/data; give that folder to the non-root user.
RUN mkdir -p /app/data && chown "$APP_UID" /app/data
# APP_UID is the non-root "app" user that the official .NET images define.
USER $APP_UID
ENV ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_RUNNING_IN_CONTAINER=true
EXPOSE 8080
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["dotnet", "HeadlessLoyalty.Api.dll"]
