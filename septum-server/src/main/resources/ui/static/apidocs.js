// swagger-ui over the server's own OpenAPI document
window.addEventListener('load', () => {
  const root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({url: root.dataset.spec, dom_id: '#swagger-ui', deepLinking: true});
});
