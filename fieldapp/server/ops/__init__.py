"""Operations: the health check load balancers and monitors call."""
