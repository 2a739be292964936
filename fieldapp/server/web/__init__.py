"""What every area's routes share: the request's dependencies (who, sessions, time, settings), the typed
query parameters, the JSON error answers and the request middleware. The areas' routers
(``fieldapp.server.<area>.router``) build on it; ``fieldapp.server.api.create_app`` puts them together."""
