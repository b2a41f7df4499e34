// Texts of the department inbox.
export default {
  'zh-CN': {
    inbox: {
      title: '部门待办',
      department: '本部门：{name}',
      noDepartment: '您的账号未关联部门，请联系管理员',
      empty: '暂无待办案件',
      counts: '红灯 {red} · 黄灯 {yellow} · 绿灯 {green}',
      actions: '操作',
      description: '问题描述',
      address: '地址',
      details: '详情',
    },
  },
  en: {
    inbox: {
      title: 'Department inbox',
      department: 'Department: {name}',
      noDepartment: 'Your account has no department; ask an administrator',
      empty: 'Nothing to do',
      counts: 'Red {red} · Yellow {yellow} · Green {green}',
      actions: 'Actions',
      description: 'Description',
      address: 'Address',
      details: 'Details',
    },
  },
}
