// Starts django-allauth's MFA scripts (WebAuthn, recovery codes) from data attributes:
// <div hidden data-gza-allauth-onload="allauth.webauthn.forms.addForm"
//      data-gza-allauth-args='{"ids": {...}}'></div>
// allauth's own onload.js reads inline JSON <script> blocks instead; the portal's
// templates keep to the strict Content-Security-Policy without them.
(function () {
  'use strict'
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-gza-allauth-onload]').forEach(function (element) {
      const ref = element.dataset.gzaAllauthOnload
      if (typeof ref !== 'string' || !ref.startsWith('allauth.')) return
      const func = ref.split('.').reduce(function (acc, part) { return acc && acc[part] }, window)
      if (typeof func === 'function') func(JSON.parse(element.dataset.gzaAllauthArgs || '{}'))
    })
  })
})()
