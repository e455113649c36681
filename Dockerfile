# One image for both services: the command chooses host or proxy (see docker-compose.yml).

# The dashboard's pages, built from clients/dashboard (TypeScript, Vite) into the proxy package.
FROM node:20-slim AS dashboard
WORKDIR /build
COPY clients/typescript/src/schema.d.ts clients/typescript/src/schema.d.ts
COPY clients/dashboard/package.json clients/dashboard/package-lock.json clients/dashboard/
RUN cd clients/dashboard && npm ci --no-audit --no-fund
COPY clients/dashboard clients/dashboard
RUN cd clients/dashboard && npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY schemas ./schemas
COPY host_service ./host_service
COPY proxy_service ./proxy_service
COPY service_common ./service_common
COPY --from=dashboard /build/proxy_service/dashboard/static ./proxy_service/dashboard/static
RUN pip install .

# Host configs, the simulated TV's UI model and the compose proxy config; the definition
# library is mounted over examples/library at run time, read-only.
COPY examples ./examples

RUN useradd --create-home --uid 10001 orchestrator
USER orchestrator

EXPOSE 8100 8101
CMD ["python", "-m", "proxy_service", "--bind", "0.0.0.0", "--port", "8100", \
     "--config", "/app/examples/compose-proxy.yaml"]
