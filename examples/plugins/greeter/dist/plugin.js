// The example's bundle: one self-contained script, as `lianjie-plugin build` will produce from TypeScript sources.
lianjie.register({
  actions: {
    async greet(input, ctx) {
      const key = 'visits:' + input.name;
      const seen = await ctx.store.get({ key });
      const visits = typeof seen.value === 'number' ? seen.value + 1 : 1;
      await ctx.store.set({ key, value: visits });
      ctx.log.info({ message: 'greeted', fields: { visits } });
      return { text: ctx.config.greeting + ', ' + input.name, visits };
    },
  },
});
